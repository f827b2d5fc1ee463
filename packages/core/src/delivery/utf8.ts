// biome-ignore lint/suspicious/noControlCharactersInRegex: the range starts at U+0080.
const NON_ASCII = /[^\u0000-\u007f]/;

// Core compiles without DOM or Node types; both environments have a global TextEncoder.
interface Encoder {
  encode(s: string): { length: number };
}
let encoder: Encoder | undefined;

/** UTF-8 byte length of a string (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(s: string): number {
  // Most items are ASCII, where bytes equal UTF-16 units: a regex scan spares the encoding.
  if (!NON_ASCII.test(s)) return s.length;
  encoder ??= new (globalThis as unknown as { TextEncoder: new () => Encoder }).TextEncoder();
  return encoder.encode(s).length;
}
