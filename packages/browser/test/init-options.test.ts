// init's options are checked before anything starts: every bad field is named at once.
import { ValidationError } from "@closeloop/core";
import { describe, expect, it } from "vitest";
import { type InitOptions, resolveOptions as resolveBase } from "../src/client/options.js";
import { widgetOptions } from "../src/client/widget-options.js";

// The full entry's options: the base ones and the widget's, in one check.
const resolveOptions = (input: InitOptions) => resolveBase(input, widgetOptions);

const ok = { endpoint: "https://feedback.example.com/", publicKey: "pk_abc" };
const issuesOf = (input: unknown) => {
  try {
    resolveOptions(input as never);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues.map((i) => i.path);
  }
  return [];
};

describe("init options", () => {
  it("applies defaults and trims the endpoint's trailing slash", () => {
    const r = resolveOptions(ok);
    expect(r).toMatchObject({
      endpoint_: "https://feedback.example.com",
      publicKey_: "pk_abc",
      theme: { mode: "system" },
      cooldownDays: 7,
      name_: "default",
    });
    expect(r.feedbackButton).toBeUndefined();
    expect(resolveOptions({ ...ok, theme: "dark", feedbackButton: true })).toMatchObject({
      theme: { mode: "dark" },
      feedbackButton: {},
    });
  });

  it("names every bad field at once", () => {
    expect(
      issuesOf({
        endpoint: "feedback.example.com",
        publicKey: "abc",
        respondent: { id: "", token: 3 },
        theme: "neon",
        cooldownDays: -1,
        name: "no spaces",
        container: "body",
      }),
    ).toEqual([
      "endpoint",
      "publicKey",
      "respondent.id",
      "respondent.token",
      "name",
      "theme",
      "container",
      "cooldownDays",
    ]);
    expect(issuesOf(undefined)).toContain("");
  });

  it("the lite entry checks only the options it uses and ignores the widget's", () => {
    const lite = resolveBase({ ...ok, theme: "neon" as never, cooldownDays: -1 });
    expect(lite).toEqual({
      endpoint_: "https://feedback.example.com",
      publicKey_: "pk_abc",
      respondent_: undefined,
      locale_: expect.any(String),
      name_: "default",
    });
  });

  it("refuses a secret key with a message that says why", () => {
    expect(() => resolveOptions({ ...ok, publicKey: "sk_live_1" })).toThrow(
      /never put it in a page/,
    );
  });
});
