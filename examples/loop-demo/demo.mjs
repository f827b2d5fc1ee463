// Walks one detractor's answer through the whole loop with @closeloop/core and prints its
// timeline: heard → acknowledged → assigned → resolved → customer told. Times are fixed so the
// output is the same on every run.
import { readFileSync } from "node:fs";
import {
  checkSurvey,
  createLoop,
  createSurveySession,
  deadlines,
  defineSurvey,
  isBreached,
  loopHealth,
  nps,
  transition,
} from "@closeloop/core";

const json = JSON.parse(readFileSync(new URL("./survey.json", import.meta.url), "utf8"));
const t0 = Date.parse("2026-11-23T09:00:00.000Z");
const at = (minutes) => new Date(t0 + minutes * 60_000).toISOString();
const since = (iso) => {
  const m = Math.round((Date.parse(iso) - t0) / 60_000);
  return `+${String(Math.floor(m / 60)).padStart(2, "0")}h${String(m % 60).padStart(2, "0")}`;
};

// 1. The gate: a survey that leaves passives unrouted and the detractor route unowned is refused.
const partial = structuredClone(json);
delete partial.loop.routes.passive;
delete partial.loop.routes.detractor.owner;
const gate = checkSurvey(partial);
console.log("1. A partial loop does not publish:");
for (const i of gate.issues) console.log(`   ✗ ${i.path}: ${i.message}`);

// 2. The complete survey, answered by an unhappy customer.
const survey = defineSurvey(json);
const session = createSurveySession(survey, { locale: "en" });
console.log(`\n2. Survey "${survey.name}" — ${session.current().text}`);
session.answer("score", 3);
session.next();
session.answer("why", "Exports time out every morning.");
session.next();
const outcome = session.outcome();
console.log(`   answers ${JSON.stringify(session.answers)} → segment "${outcome.segment}"`);
console.log(`   shown on submit: "${outcome.acknowledgement}"`);

// 3. The loop, from received to closed.
let loop = createLoop({
  id: "loop-1",
  source: { kind: "response", id: "resp-1" },
  segment: outcome.segment,
  route: outcome.route,
  at: at(0),
  context: { surveyId: survey.id, journey: survey.journey, touchpoint: survey.touchpoint },
});
const d = deadlines(loop);
console.log(
  `\n3. Loop ${loop.id}: acknowledge by ${since(d.acknowledgeBy)}, close by ${since(d.closeBy)}`,
);
loop = transition(loop, "acknowledged", {
  actor: "agent:ana",
  at: at(45),
  note: "Called back; exports to S3 hit the 30 s gateway timeout.",
});
loop = transition(loop, "assigned", { actor: "agent:ana", at: at(50), owner: "team-exports" });
loop = transition(loop, "resolved", {
  actor: "dev:li",
  at: at(20 * 60),
  message: "We moved exports to a background job; large exports now finish in under a minute.",
});
loop = transition(loop, "closed", {
  actor: "respondent",
  at: at(22 * 60),
  informedVia: "in-app",
  message: loop.events.at(-1).message,
});
for (const e of loop.events) {
  const extra = e.owner ? ` owner=${e.owner}` : e.informedVia ? ` via ${e.informedVia}` : "";
  const text = e.message ?? e.note;
  console.log(
    `   ${since(e.at)}  ${(e.from ?? "—").padEnd(12)} → ${e.to.padEnd(12)} by ${e.actor}${extra}${text ? ` — ${text}` : ""}`,
  );
}
console.log(`   breached: ${isBreached(loop, new Date(at(72 * 60)))}`);

// 4. A passive's loop closes as soon as the acknowledgement is seen: no human step is owed.
let passive = createLoop({
  id: "loop-2",
  source: { kind: "response", id: "resp-2" },
  segment: "passive",
  route: survey.loop.routes.passive,
  at: at(5),
});
passive = transition(passive, "acknowledged", {
  actor: "respondent",
  at: at(5),
  informedVia: "in-app",
});
passive = transition(passive, "closed", {
  actor: "system",
  at: at(5),
  informedVia: "in-app",
  message: survey.loop.routes.passive.acknowledge.message.en,
});
console.log(`\n4. Loop ${passive.id} (passive): ${passive.events.map((e) => e.to).join(" → ")}`);

// 5. Metrics over what happened.
const health = loopHealth([loop, passive], new Date(at(72 * 60)));
const score = nps([3, 8, 10, 9, 6, 10, 7, 9]);
console.log(
  `\n5. Loop health: ${health.closed}/${health.total} closed, ${health.breached} breached, ` +
    `p50 time to close ${Math.round(health.timeToClose.p50 / 60_000)} min`,
);
console.log(`   NPS of 8 answers: ${score.score} (95% CI ${score.lower} to ${score.upper})`);
