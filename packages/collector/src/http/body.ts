import { HttpError } from "./errors.js";

/**
 * Reads a JSON body of at most `maxBytes`, refusing a larger one with 413 before reading it all
 * (by `content-length` when given, else as the bytes arrive), and malformed JSON with 400.
 */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  return (await readJsonBody(request, maxBytes)).value;
}

/**
 * {@link readJson}, also telling whether the JSON text had a `\u` escape. Without one, no string
 * in the value can hold NUL or an unpaired surrogate: the text comes from a UTF-8 decode (which
 * yields neither), and JSON forbids raw control characters in strings.
 */
export async function readJsonBody(
  request: Request,
  maxBytes: number,
): Promise<{ value: unknown; escapes: boolean }> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(concat(chunks, size));
  if (text.length === 0) throw new HttpError(400, "malformed", "The body is empty; send JSON");
  try {
    return { value: JSON.parse(text), escapes: text.includes("\\u") };
  } catch (e) {
    throw new HttpError(400, "malformed", `The body is not JSON: ${(e as Error).message}`);
  }
}

const tooLarge = (maxBytes: number) =>
  new HttpError(413, "body_too_large", `The body is larger than ${maxBytes} bytes`);

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
