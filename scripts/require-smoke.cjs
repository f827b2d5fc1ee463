// Loads each built package through CommonJS `require`, as a CJS user would, and checks that
// its public API is there: the exports map's `require` condition must work, not just its types.
const assert = require("node:assert");

const core = require("../packages/core");
assert.strictEqual(typeof core.defineSurvey, "function", "@closeloop/core: defineSurvey");
assert.strictEqual(typeof core.transition, "function", "@closeloop/core: transition");
const browser = require("../packages/browser");
assert.strictEqual(typeof browser.createSurveySession, "function", "@closeloop/browser");
const node = require("../packages/node");
assert.strictEqual(typeof node.checkSurvey, "function", "@closeloop/node");
assert.strictEqual(typeof node.createClient, "function", "@closeloop/node: createClient");
const collector = require("../packages/collector");
assert.strictEqual(typeof collector.createCollector, "function", "@closeloop/collector");
console.log("CommonJS require of @closeloop/core, browser, node and collector: ok");
