#!/usr/bin/env node
// The `closeloop` command. A file of its own rather than dist/cli.js itself: a clone links the
// command at install, before anything is built, and a link to a missing file would not run.
import { existsSync } from "node:fs";

const cli = new URL("../dist/cli.js", import.meta.url);
if (existsSync(cli)) {
  await import(cli.href);
} else {
  process.stderr.write(
    "closeloop: @closeloop/collector is not built yet: run `pnpm build` in the repository, then try again\n",
  );
  process.exitCode = 1;
}
