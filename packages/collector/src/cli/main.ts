#!/usr/bin/env node
import { parseArgs } from "node:util";
import { check } from "./check.js";
import { keys } from "./keys-command.js";
import { serve } from "./serve.js";
import { users } from "./users-command.js";

const USAGE = `closeloop — the Closeloop collector

  closeloop serve [--db closeloop.db | --postgres URL] [--port 7345] [--host 127.0.0.1]
                  [--allowed-origins https://shop.example,https://www.shop.example | '*']
                  [--drain-timeout 10]  (seconds a SIGTERM's drain may take)
                  [--connect-timeout 5] [--statement-timeout 30]  (seconds; PostgreSQL only)
  closeloop check <survey.json…>
  closeloop keys [list | rotate public|secret [--keep-old] | revoke <id>] [--db … | --postgres …]
  closeloop users [list | add <email> --role agent|lead|viewer [--handle name] | remove <email>]
                  [--db … | --postgres …]`;

// A reader that stops early (`closeloop keys list | head -n 1`) closes the pipe: from then on the
// output goes nowhere, and the command still finishes its work and exits with its own status.
let reading = true;
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code !== "EPIPE") throw e;
  reading = false;
});
const out = (line: string) => {
  if (reading) process.stdout.write(`${line}\n`);
};

async function main(argv: string[]): Promise<number | undefined> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: "string" },
      postgres: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      "allowed-origins": { type: "string" },
      "drain-timeout": { type: "string" },
      "connect-timeout": { type: "string" },
      "statement-timeout": { type: "string" },
      "keep-old": { type: "boolean" },
      role: { type: "string" },
      handle: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    out(USAGE);
    return values.help ? 0 : 2; // asked for help: success; no command at all: a usage error
  }
  switch (command) {
    case "serve":
      await serve(values, out);
      return undefined; // keeps running until a signal
    case "check":
      return check(rest, out);
    case "keys":
      return keys(rest, values, out);
    case "users":
      return users(rest, values, out);
    default:
      out(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`closeloop: ${(e as Error)?.message ?? e}\n`);
    process.exitCode = 1;
  },
);
