import { timingSafeEqual } from "node:crypto";
import type { WebhookPayload } from "@closeloop/core";
import { CloseloopError, type Issue, ValidationError } from "@closeloop/core";
import { parseWebhookSecret, WebhookSecretError } from "./secret.js";
import { computeSignature } from "./sign.js";

/**
 * Why {@link verifyWebhook} refused a request; stable across releases.
 *
 * @example
 * const status = (code: WebhookVerificationErrorCode) => (code === "invalid_secret" ? 500 : 400);
 */
export type WebhookVerificationErrorCode =
  | "missing_header"
  | "invalid_timestamp"
  | "timestamp_too_old"
  | "timestamp_too_new"
  | "invalid_signature"
  | "invalid_secret"
  | "invalid_body";

/**
 * A webhook failed verification. Branch on `code`:
 *
 * - `missing_header`: `webhook-id`, `webhook-timestamp` or `webhook-signature` is absent or empty;
 * - `invalid_timestamp`: `webhook-timestamp` is not whole Unix seconds;
 * - `timestamp_too_old` / `timestamp_too_new`: further than the tolerance from now (a replay,
 *   or a clock that is off);
 * - `invalid_signature`: no `v1` signature matches the body, id and timestamp under the secret;
 * - `invalid_secret`: the secret you passed is not a `whsec_` secret (your configuration, not the
 *   request);
 * - `invalid_body`: the signature matched but the body is not a JSON webhook payload.
 *
 * Answer the request with a 4xx (except for `invalid_secret`, which is a 500 of yours).
 *
 * @example
 * try { verifyWebhook(body, req.headers, secret) }
 * catch (e) { if (e instanceof WebhookVerificationError) res.writeHead(400).end(e.code) }
 */
export class WebhookVerificationError extends CloseloopError {
  declare readonly code: WebhookVerificationErrorCode;
  constructor(code: WebhookVerificationErrorCode, message: string, cause?: unknown) {
    super(code, message);
    this.name = "WebhookVerificationError";
    if (cause !== undefined) this.cause = cause;
  }
}

/**
 * Request headers as node:http gives them (`req.headers`), as a plain record in any letter case,
 * or a web `Headers` object.
 *
 * @example
 * const fromNode: WebhookHeadersInput = req.headers; // IncomingHttpHeaders
 * const fromFetch: WebhookHeadersInput = request.headers; // Headers
 * const byHand: WebhookHeadersInput = { "Webhook-Id": "msg_1", "webhook-timestamp": "1700000000", "webhook-signature": "v1,…" };
 */
export type WebhookHeadersInput =
  | Headers
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Options of {@link verifyWebhook}.
 *
 * @example
 * verifyWebhook(body, headers, secret, { toleranceSeconds: 60 });
 * verifyWebhook(body, headers, secret, { now: new Date("2026-01-01T00:05:00Z") }); // in a test
 */
export interface VerifyWebhookOptions {
  /** How far `webhook-timestamp` may be from now, either way, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** The current time; defaults to the system clock. For tests. */
  now?: Date;
}

const DEFAULT_TOLERANCE_SECONDS = 300;
// Whole Unix seconds, no sign, no leading zeros: the one spelling the sender signed.
const UNIX_SECONDS = /^(?:0|[1-9]\d{0,15})$/;

interface HeaderGetter {
  get(name: string): string | null;
}

function isHeaderGetter(headers: unknown): headers is HeaderGetter {
  return typeof (headers as { get?: unknown }).get === "function";
}

/** The header's values, by case-insensitive name; [] when absent. */
function headerValues(headers: WebhookHeadersInput, name: string): string[] {
  if (isHeaderGetter(headers)) {
    const v = headers.get(name);
    return v === null || v === "" ? [] : [v];
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const out: string[] = [];
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() !== name) continue;
    const v = record[key];
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) out.push(...v.filter((x): x is string => typeof x === "string"));
  }
  return out.filter((v) => v !== "");
}

function keysOf(secret: string | readonly string[]): Uint8Array[] {
  const secrets = typeof secret === "string" ? [secret] : [...secret];
  if (secrets.length === 0) {
    throw new WebhookVerificationError("invalid_secret", "No webhook secret was given");
  }
  try {
    return secrets.map(parseWebhookSecret);
  } catch (e) {
    if (e instanceof WebhookSecretError) {
      throw new WebhookVerificationError("invalid_secret", e.message, e);
    }
    throw e;
  }
}

function checkInput(body: unknown, headers: unknown, toleranceSeconds: number, now: Date): void {
  const issues: Issue[] = [];
  if (typeof body !== "string" && !(body instanceof Uint8Array)) {
    issues.push({
      path: "body",
      code: "invalid_type",
      message: "must be the raw body as a string or bytes, not parsed JSON",
    });
  }
  if (typeof headers !== "object" || headers === null) {
    issues.push({ path: "headers", code: "invalid_type", message: "must be headers or a record" });
  }
  if (typeof toleranceSeconds !== "number" || !(toleranceSeconds >= 0)) {
    issues.push({
      path: "toleranceSeconds",
      code: "invalid_tolerance",
      message: "must be a number of seconds ≥ 0",
    });
  }
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    issues.push({ path: "now", code: "invalid_date", message: "must be a valid Date" });
  }
  if (issues.length > 0) throw new ValidationError("verifyWebhook input", issues);
}

/** Whether any `v1` signature in the header equals one of the expected ones, in constant time. */
function anySignatureMatches(header: string, expected: readonly string[]): boolean {
  const wanted = expected.map((s) => Buffer.from(s, "utf8"));
  let matched = false;
  for (const entry of header.split(/\s+/)) {
    const comma = entry.indexOf(",");
    if (comma < 0 || entry.slice(0, comma) !== "v1") continue; // v1a, v2, …: not ours to check
    // A repeated header joined by node:http or fetch (`v1,a, v1,b`) leaves a trailing comma,
    // which base64 never contains.
    const signature = entry.slice(comma + 1).replace(/,$/, "");
    const given = Buffer.from(signature, "utf8");
    for (const w of wanted) {
      // The length of a signature is public (44 base64 characters); its content is compared
      // in constant time, and every candidate is compared, matched or not.
      if (given.length === w.length && timingSafeEqual(given, w)) matched = true;
    }
  }
  return matched;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function parsePayload(body: string | Uint8Array): WebhookPayload {
  let text: string;
  try {
    text = typeof body === "string" ? body : utf8.decode(body);
  } catch {
    throw new WebhookVerificationError("invalid_body", "The webhook body is not valid UTF-8");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new WebhookVerificationError(
      "invalid_body",
      `The webhook body is not JSON: ${(e as Error).message}`,
    );
  }
  const v = value as { type?: unknown; timestamp?: unknown; data?: unknown } | null;
  if (
    typeof v !== "object" ||
    v === null ||
    Array.isArray(v) ||
    typeof v.type !== "string" ||
    typeof v.timestamp !== "string" ||
    typeof v.data !== "object" ||
    v.data === null
  ) {
    throw new WebhookVerificationError(
      "invalid_body",
      "The webhook body is not a payload: an object with string `type`, string `timestamp` and object `data`",
    );
  }
  return value as WebhookPayload;
}

/**
 * Verifies a webhook per the Standard Webhooks spec and returns its parsed JSON payload.
 *
 * Pass the raw body exactly as received (do not parse and re-serialize it), the request headers
 * and the endpoint's `whsec_…` secret (or several, while rotating). It checks, in order: the
 * secret, the three `webhook-*` headers, that `webhook-timestamp` is within `toleranceSeconds`
 * (default 300) of now either way, that one of the `v1` signatures in `webhook-signature`
 * matches (others, such as `v1a`, are ignored; comparison is constant-time), and that the body
 * is a JSON payload. Anything else throws {@link WebhookVerificationError} with a stable
 * `code`. Use `webhook-id` to drop repeats: a delivery may be retried.
 *
 * @example
 * import { createServer } from "node:http";
 * import { verifyWebhook, WebhookVerificationError } from "@closeloop/node";
 *
 * const secret = process.env.CLOSELOOP_WEBHOOK_SECRET ?? ""; // whsec_…
 * createServer(async (req, res) => {
 *   const chunks: Buffer[] = [];
 *   for await (const chunk of req) chunks.push(chunk as Buffer);
 *   try {
 *     const event = verifyWebhook(Buffer.concat(chunks), req.headers, secret);
 *     if (event.type === "loop.breached") console.log("breached:", event.data.loop.id);
 *     res.writeHead(204).end();
 *   } catch (e) {
 *     res.writeHead(e instanceof WebhookVerificationError ? 400 : 500).end();
 *   }
 * }).listen(3000);
 */
export function verifyWebhook(
  body: string | Uint8Array,
  headers: WebhookHeadersInput,
  secret: string | readonly string[],
  options: VerifyWebhookOptions = {},
): WebhookPayload {
  const { toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, now = new Date() } = options;
  checkInput(body, headers, toleranceSeconds, now);
  const keys = keysOf(secret);

  const id = headerValues(headers, "webhook-id")[0];
  const timestampHeader = headerValues(headers, "webhook-timestamp")[0];
  // Repeated signature headers are one list, as if sent space-separated in one.
  const signatureHeader = headerValues(headers, "webhook-signature").join(" ");
  const missing = [
    id ? undefined : "webhook-id",
    timestampHeader ? undefined : "webhook-timestamp",
    signatureHeader ? undefined : "webhook-signature",
  ].filter((h) => h !== undefined);
  if (id === undefined || timestampHeader === undefined || missing.length > 0) {
    throw new WebhookVerificationError(
      "missing_header",
      `The webhook is missing ${missing.join(", ")}`,
    );
  }

  if (!UNIX_SECONDS.test(timestampHeader) || !Number.isSafeInteger(Number(timestampHeader))) {
    throw new WebhookVerificationError(
      "invalid_timestamp",
      "webhook-timestamp is not whole Unix seconds",
    );
  }
  const timestamp = Number(timestampHeader);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (nowSeconds - timestamp > toleranceSeconds) {
    throw new WebhookVerificationError(
      "timestamp_too_old",
      `webhook-timestamp is ${nowSeconds - timestamp} s old; at most ${toleranceSeconds} s is accepted`,
    );
  }
  if (timestamp - nowSeconds > toleranceSeconds) {
    throw new WebhookVerificationError(
      "timestamp_too_new",
      `webhook-timestamp is ${timestamp - nowSeconds} s in the future; at most ${toleranceSeconds} s is accepted`,
    );
  }

  const expected = keys.map((key) => computeSignature(key, id, timestamp, body));
  if (!anySignatureMatches(signatureHeader, expected)) {
    throw new WebhookVerificationError(
      "invalid_signature",
      "No v1 signature in webhook-signature matches this body, id and timestamp under the secret",
    );
  }
  return parsePayload(body);
}
