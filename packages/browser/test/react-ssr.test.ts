// The React bindings on a server: rendering touches no `window` (the client starts in an effect,
// which servers never run), and the button waits, disabled, for the client. From the sources,
// and from the built package as an app's server would import it.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CloseloopProvider, FeedbackButton } from "../src/react.js";

const options = { endpoint: "https://feedback.example.com", publicKey: "pk_test_0123456789" };
const built = existsSync(join(import.meta.dirname, "../dist/react.js"));
if (!built && process.env.CI === "true") throw new Error("CI=true: run pnpm build first");
if (!built)
  console.warn("react-ssr: the built-package case skipped: packages/browser is not built");

describe("@closeloop/browser/react on a server", () => {
  it("renders without a window: the button is there, disabled until the client starts", () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe("undefined");
    const html = renderToString(
      createElement(
        CloseloopProvider,
        { options },
        createElement(FeedbackButton, { className: "btn" }, "Tell us"),
      ),
    );
    expect(html).toBe('<button class="btn" type="button" disabled="">Tell us</button>');
  });

  it.skipIf(!built)(
    "is marked as client code and renders from the built package under plain Node",
    () => {
      const script = `
      import { createElement } from "react";
      import { renderToString } from "react-dom/server";
      import { CloseloopProvider, FeedbackButton } from "@closeloop/browser/react";
      const html = renderToString(createElement(CloseloopProvider, { options: ${JSON.stringify(options)} }, createElement(FeedbackButton)));
      process.stdout.write(html);`;
      const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
        cwd: join(import.meta.dirname, ".."),
        encoding: "utf8",
      });
      expect(out).toBe('<button type="button" disabled="">Feedback</button>');
      expect(
        readFileSync(join(import.meta.dirname, "../dist/react.js"), "utf8").startsWith(
          '"use client";',
        ),
      ).toBe(true);
    },
  );
});
