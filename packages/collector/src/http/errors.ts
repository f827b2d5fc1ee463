import type { Issue } from "@closeloop/core";

/** An answer the collector gives instead of doing the request: status, stable code, message. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: readonly Issue[] | undefined;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    code: string,
    message: string,
    options: { issues?: readonly Issue[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.code = code;
    this.issues = options.issues;
    this.headers = options.headers ?? {};
  }
}

/** A JSON answer. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/** The collector's error shape: `{ error: { code, message, issues? } }`. */
export function errorResponse(e: HttpError): Response {
  const error: { code: string; message: string; issues?: readonly Issue[] } = {
    code: e.code,
    message: e.message,
  };
  if (e.issues) error.issues = e.issues;
  return json({ error }, e.status, e.headers);
}
