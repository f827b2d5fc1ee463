// Serves this example on loopback: the page, the SDK's IIFE from the installed
// @closeloop/browser package, and config.js with your collector and public key:
//
//   CLOSELOOP_ENDPOINT=http://127.0.0.1:7345 CLOSELOOP_PUBLIC_KEY=pk_… node serve.mjs
//
// PORT picks the port (default 8080; 0 for any free one).
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";

const endpoint = process.env.CLOSELOOP_ENDPOINT ?? "http://127.0.0.1:7345";
const publicKey = process.env.CLOSELOOP_PUBLIC_KEY;
if (!publicKey) {
  console.error(
    "Set CLOSELOOP_PUBLIC_KEY to your environment's public key (pk_…): closeloop serve prints it.",
  );
  process.exit(1);
}
const sdk = createRequire(import.meta.url)
  .resolve("@closeloop/browser/package.json")
  .replace(/package\.json$/, "dist/index.global.js");
const here = (file) => new URL(`./${file}`, import.meta.url);
const files = {
  "/": ["text/html", () => readFileSync(here("index.html"))],
  "/shop.css": ["text/css", () => readFileSync(here("shop.css"))],
  "/app.js": ["text/javascript", () => readFileSync(here("app.js"))],
  "/closeloop.global.js": ["text/javascript", () => readFileSync(sdk)],
  "/config.js": [
    "text/javascript",
    () => `window.CLOSELOOP_CONFIG = ${JSON.stringify({ endpoint, publicKey })};\n`,
  ],
};
const server = createServer((req, res) => {
  const file = files[new URL(req.url ?? "/", "http://x").pathname];
  if (!file) {
    res.writeHead(404).end("not found");
    return;
  }
  try {
    res.writeHead(200, { "content-type": `${file[0]}; charset=utf-8` }).end(file[1]());
  } catch (e) {
    res
      .writeHead(500)
      .end(`${e.message}\n(run pnpm build first: the page needs dist/index.global.js)`);
  }
});
server.listen(Number(process.env.PORT ?? 8080), "127.0.0.1", () => {
  console.log(`shop page: http://127.0.0.1:${server.address().port}/`);
});
