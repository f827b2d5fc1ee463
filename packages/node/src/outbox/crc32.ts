import * as zlib from "node:zlib";

let table: Uint32Array | undefined;

function makeTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

/** CRC-32 (IEEE, as zip and zlib use) in plain JavaScript, for Node versions without `zlib.crc32`. */
export function crc32Js(data: Uint8Array): number {
  table ??= makeTable();
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    c = (table[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

// `zlib.crc32` is native and several times faster, but only exists from Node 20.15 / 22.2;
// the package supports every Node 20, so it is looked up at run time.
const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** CRC-32 of `data`: native when this Node has it, else the table-driven fallback. */
export const crc32: (data: Uint8Array) => number =
  typeof native === "function" ? (data) => native(data) : crc32Js;
