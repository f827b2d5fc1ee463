// The client half of @closeloop/node (createClient, its file outbox, webhook signing and
// verification, respondent tokens) imports nothing from the collector: the HTTP contract's types
// come from @closeloop/core, so the collector can become its own package without the client.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const src = join(import.meta.dirname, "../src");
const clientSide = ["client", "outbox", "webhook-signing", "respondent-token.ts"];

function files(path: string): string[] {
  if (path.endsWith(".ts")) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((e) => files(join(path, e.name)));
}

describe("the client side of @closeloop/node", () => {
  it("imports nothing from the collector", () => {
    const offenders = clientSide
      .flatMap((p) => files(join(src, p)))
      .filter((f) => /from "[^"]*collector\//.test(readFileSync(f, "utf8")))
      .map((f) => relative(src, f));
    expect(offenders).toEqual([]);
  });
});
