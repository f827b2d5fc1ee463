import {
  type CloseloopBus,
  CloseloopError,
  createEventBus,
  type DeliveryError,
  type Issue,
  type Respondent,
  uuidv7,
  ValidationError,
} from "@closeloop/core";
import { type BrowserOutbox, createBrowserOutbox } from "../outbox/browser-outbox.js";
import { anonymousId } from "./anonymous-id.js";
import type { ClientBus, ClientEvents } from "./events.js";
import {
  type BaseOptions,
  type Identity,
  type InitOptions,
  identityIssues,
  isText,
  need,
  resolveOptions,
} from "./options.js";
import { type KeyValue, keyValue } from "./storage.js";
import type { ResolvedOptions } from "./widget-options.js";

/** What `captureFeedback` takes: free-form feedback from the page. */
export interface FeedbackCapture {
  text: string;
  /** A category such as `bug` or `idea`; sent as a tag. */
  category?: string;
  tags?: string[];
  /** A score on a 0–10 scale. */
  rating?: number;
}

/** The client every entry shares: identity, events, feedback and the durable outbox. */
export interface LiteClient {
  /** Ties what follows to a signed-in respondent (and fetches their closure notices). Throws `ValidationError` on a bad id or token. */
  identify(who: Identity): void;
  /** Records an event; surveys targeted at it may show (in the full SDK). */
  track(name: string, props?: Record<string, unknown>): void;
  /** Queues free-form feedback durably; resolves with its id once it is stored. */
  captureFeedback(input: FeedbackCapture): Promise<{ id: string }>;
  /** Listens to an event; returns the function that stops listening. */
  on<E extends keyof ClientEvents>(event: E, fn: ClientEvents[E]): () => void;
  /** Sends what waits now; `true` when nothing is left waiting. */
  flush(): Promise<boolean>;
  /** Removes every listener, timer and node the SDK added, after a last delivery attempt (≤ 2 s). */
  shutdown(): Promise<void>;
}

/**
 * The base client's insides, for the full client to build on. Its names end in `_`: internal,
 * shortened by the build (docs/size.md).
 */
export interface BaseParts<Options extends BaseOptions = ResolvedOptions> {
  options_: Options;
  kv_: KeyValue;
  bus_: ClientBus;
  outbox_: Promise<BrowserOutbox>;
  /** Who answers now: the identified respondent, else the anonymous id. */
  respondent_(): Respondent;
  identity_(): Identity | undefined;
  /** This browser's anonymous id, read (or made) on first use. */
  anonymousId_(): string;
  /** Reports a background failure as an `error` event (a console warning when nobody listens, once per code). */
  report_(error: unknown): void;
  /**
   * Queues an item; rejects only with a storage error. With `now`, sends at once and reports
   * any failure itself (for what a respondent just saw).
   */
  send_(
    type: "response" | "feedback" | "ack-seen" | "closure-seen",
    key: string,
    data: Record<string, unknown>,
    now?: boolean,
  ): Promise<unknown>;
}

/**
 * What {@link createBase} hands over: the client, then its insides in {@link BaseParts}'s order.
 * A tuple, not an object, since the lite entry builds it too and ignores all but the client: a
 * tuple's slots cost no keys (docs/size.md). The full entry names them into a `BaseParts`.
 */
export type Base<Options extends BaseOptions> = [
  client: LiteClient,
  options: Options,
  kv: KeyValue,
  bus: ClientBus,
  outbox: Promise<BrowserOutbox>,
  respondent: BaseParts["respondent_"],
  identity: BaseParts["identity_"],
  anonymousId: BaseParts["anonymousId_"],
  report: BaseParts["report_"],
  send: BaseParts["send_"],
];

/** An error for a collector's refusal, carrying its HTTP status. */
export const refusal = (
  status: number | undefined,
  code: string,
  message: string,
): CloseloopError => Object.assign(new CloseloopError(code, message), { status });

const fail = (what: string, issues: Issue[]) => {
  if (issues.length > 0) throw new ValidationError(what, issues);
};

/**
 * Builds the shared client; the entries' `init` wrap it. Throws `ValidationError` on bad
 * options, `more`'s included (see `resolveOptions`).
 */
export function createBase<More extends object = object>(
  input: InitOptions,
  more?: (x: Partial<InitOptions>, issues: Issue[]) => More,
): Base<BaseOptions & More> {
  const options = resolveOptions(input, more);
  const kv = keyValue(`closeloop:${options.name_}:`);
  // One bus: the outbox's events and the client's (the emitter is untyped at run time).
  const bus = createEventBus() as unknown as ClientBus;
  const warned = new Set<string>();
  const refused = new Set<string>();
  // What is reported: a CloseloopError as it is; a delivery's error (`{ status, code, message }`)
  // or anything else thrown becomes one, keeping its status and a string code.
  const report = (error: unknown) => {
    const { code, message = error, status } = error as Partial<DeliveryError>;
    const e =
      error instanceof CloseloopError
        ? error
        : refusal(status, typeof code === "string" ? code : "unexpected", String(message));
    // A refused key or origin is the same news on every request: tell it once.
    if (status === 401 || status === 403) {
      if (refused.has(e.code)) return;
      refused.add(e.code);
    }
    if (bus.listenerCount("error") > 0) {
      try {
        bus.emit("error", e);
      } catch {}
    } else if (!warned.has(e.code)) {
      warned.add(e.code);
      console.warn(`closeloop: ${e.message} [${e.code}]`);
    }
  };
  let who = options.respondent_;
  // Read on first use, not in `init`: a page's first localStorage access loads it from disk
  // synchronously, which can take tens of milliseconds (docs/browser.md on the page's cost).
  let anon: string | undefined;
  const anonId = () => {
    anon ??= anonymousId(kv);
    return anon;
  };
  const outbox = createBrowserOutbox({ ...options, bus_: bus as unknown as CloseloopBus });
  outbox.catch(report);
  // A refused origin or key is configuration, not a bad item: say so loudly, once.
  // (The outbox keeps the items and backs off until it is fixed.)
  bus.on("delivery:failed", ({ error }) => {
    if (error.status === 401 || error.status === 403) report(error);
  });
  const flush = () => outbox.then((o) => o.flush());
  const send: BaseParts["send_"] = (type, key, data, now) => {
    const queued = outbox.then((o) => o.enqueue({ type, idempotencyKey: key, data }));
    if (now) queued.then(flush).catch(report);
    return queued;
  };
  const respondent = () => (who ? { id: who.id, token: who.token } : { anonymousId: anonId() });
  const client: LiteClient = {
    identify(next) {
      fail("identify", identityIssues(next, "", []));
      who = next;
    },
    track(name, props = {}) {
      const issues: Issue[] = [];
      need(issues, "name", isText(name, 200), "must be 1 to 200 characters");
      fail("track", issues);
      bus.emit("track", { name, props });
    },
    async captureFeedback(item) {
      const { text, rating, category } = item ?? ({} as FeedbackCapture);
      const tags = [...(item?.tags ?? []), ...(category ? [category] : [])];
      const issues: Issue[] = [];
      need(
        issues,
        "text",
        isText(text, 10_000) && text.trim(),
        "must be 1 to 10000 characters, not only spaces",
      );
      need(
        issues,
        "tags",
        tags.every((t) => isText(t, 64)),
        "each tag and the category must be 1 to 64 characters",
      );
      need(
        issues,
        "rating",
        rating === undefined || (rating >= 0 && rating <= 10),
        "must be a number from 0 to 10",
      );
      fail("feedback", issues);
      const id = uuidv7();
      await send("feedback", `feedback:${id}`, {
        id,
        channel: "in-app",
        text,
        tags,
        respondent: respondent(),
        locale: options.locale_,
        context: { url: pageUrl() },
        rating, // left out of the JSON when undefined
      });
      bus.emit("feedback:sent", { id });
      return { id };
    },
    on(event, fn) {
      bus.on(event, fn);
      return () => {
        bus.off(event, fn);
      };
    },
    flush,
    async shutdown() {
      try {
        await (await outbox).close({ timeoutMs: 2_000 });
      } catch (e) {
        report(e);
      }
      bus.removeAllListeners();
    },
  };
  return [client, options, kv, bus, outbox, respondent, () => who, anonId, report, send];
}

/** The page's URL as context, without its fragment. */
export const pageUrl = () =>
  (globalThis.location as Location | undefined)?.href.split("#")[0]?.slice(0, 2_000);
