// Batches of new responses on a SQLite file are checked on the main thread against committed
// data and written by a writer thread (docs/stores.md, Ingest on a writer thread); a batch that
// meets a key or a response another batch took in between runs again in a locked transaction.
// The answers and the stored rows must be what the locked way alone gives, under concurrency too.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { uuidv7 } from "@closeloop/core";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { sqliteStore } from "../src/store/index.js";
import { startWriterThread } from "../src/store/sqlite/writer-thread.js";
import {
  batch,
  feedbackPolicy,
  type Running,
  response,
  startCollector,
  survey,
} from "./collector-harness.js";

const running: Running[] = [];
afterAll(async () => {
  for (const r of running) await r.close();
});

async function collectorOn(writerThread: boolean, busyTimeoutMs?: number): Promise<Running> {
  const path = join(mkdtempSync(join(tmpdir(), "closeloop-writer-thread-")), "c.db");
  const store = sqliteStore(path, {
    writerThread,
    ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }),
  });
  const r = await startCollector({ path, store });
  running.push(r);
  const published = await r.call("PUT", "/v1/surveys/onboarding-nps", r.sk, survey());
  expect(published.status).toBe(201);
  const policy = await r.call("PUT", "/v1/feedback-policy", r.sk, feedbackPolicy());
  expect(policy.status).toBeLessThan(300);
  return r;
}

/** What the file holds, without the ids and instants each run makes anew. */
function contents(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    // biome-ignore lint/suspicious/noExplicitAny: rows are compared column by column.
    const q = (sql: string) => db.prepare(sql).all() as Record<string, any>[];
    return {
      claims: q("SELECT key, type, record_id, digest FROM idempotency ORDER BY key"),
      responses: q(
        "SELECT id, finished, segment, json_extract(data, '$.answers') AS answers FROM responses ORDER BY id",
      ),
      loops: q(
        "SELECT source_id, state, segment, owner, score, json_extract(meta, '$.youSaid') AS said FROM loops ORDER BY source_id",
      ),
      words: q("SELECT count(*) AS n FROM loop_words_data"),
      risk: q(
        "SELECT r.customer_id, r.reason, l.source_id FROM risk_signals r JOIN loops l ON l.env_id = r.env_id AND l.id = r.loop_id ORDER BY l.source_id, r.reason",
      ),
      feedback: q(
        "SELECT channel, customer_id, json_extract(data, '$.text') AS text FROM feedback ORDER BY text",
      ),
      // Feedback loops, whose source ids the collector made, by what they hold.
      feedbackLoops: q(
        "SELECT state, segment, owner, customer_id, customer_value, json_extract(meta, '$.youSaid') AS said FROM loops WHERE source_kind = 'feedback' ORDER BY said",
      ),
    };
  } finally {
    db.close();
  }
}

/** The batches of one scenario: new responses, replays, a reused key, partials and feedback. */
function scenario() {
  const finished = Array.from({ length: 30 }, (_, i) => ({
    type: "response",
    idempotencyKey: `k-${i}-${uuidv7()}`,
    data: response({ score: i % 11, why: `reason ${i}` }),
  }));
  const partialId = uuidv7();
  const partial = {
    type: "response",
    idempotencyKey: `p1-${partialId}`,
    data: response({ score: 3 }, { id: partialId, finished: false }),
  };
  const rest = {
    type: "response",
    idempotencyKey: `p2-${partialId}`,
    data: response({ why: "slow export" }, { id: partialId, finished: true }),
  };
  const reused = { ...finished[0], data: response({ score: 10 }) } as (typeof finished)[number];
  const feedback = {
    type: "feedback",
    idempotencyKey: `f-${uuidv7()}`,
    data: { channel: "support", text: "The export is slow" },
  };
  const more = Array.from({ length: 5 }, (_, i) => ({
    type: "response",
    idempotencyKey: `m-${i}-${uuidv7()}`,
    data: response({ score: (i * 3) % 11 }),
  }));
  const review = {
    type: "feedback",
    idempotencyKey: `f-${uuidv7()}`,
    data: {
      channel: "review",
      text: "Two stars: the app logs me out",
      rating: 4,
      customer: { id: "acme", value: 1200, region: "eu" },
      journey: "onboarding",
    },
  };
  const named = {
    type: "feedback",
    idempotencyKey: `f-${uuidv7()}`,
    data: { id: `ticket-${uuidv7()}`, channel: "support", text: "Invoice twice" },
  };
  const empty = {
    type: "feedback",
    idempotencyKey: `f-${uuidv7()}`,
    data: { channel: "support", text: "" },
  };
  const rekeyed = { ...named, data: { ...named.data, text: "Invoice three times" } };
  // Identified respondents (sent with the secret key), whose answers raise risk signals.
  const by = (id: string, score: number) => ({
    type: "response",
    idempotencyKey: `r-${uuidv7()}`,
    data: { ...response({ score }), respondent: { id } },
  });
  return [
    batch(...finished.slice(0, 10)),
    batch(...finished.slice(0, 10)), // replayed: duplicates
    batch(...finished.slice(10, 20), partial),
    batch(rest, ...finished.slice(20)), // merges a stored partial: the locked way
    batch(reused), // a key reused for other content: refused
    batch(finished[5] as (typeof finished)[number], feedback), // a stored response: the locked way
    batch(review, ...more, named), // new responses and feedback: the writer thread's way
    batch(review, empty, named), // replays and an invalid item
    batch(rekeyed), // a feedback item's key reused for other content: refused
    // Answers of one batch share their time, so their order is their random loop ids': carol's
    // two detractors raise one signal in either order.
    batch(by("alice", 9), by("bob", 8)),
    batch(by("alice", 2), by("bob", 1), by("carol", 1), by("carol", 2)), // drops; carol repeats
    batch(by("alice", 0)), // alice's second detractor
  ];
}

/** Answers without the ids the collector made (loop ids, feedback ids). */
const shape = (body: {
  accepted: { index: number; duplicate: boolean }[];
  rejected: unknown[];
}) => ({
  accepted: body.accepted.map((a) => ({ index: a.index, duplicate: a.duplicate })),
  rejected: body.rejected,
});

describe("ingest on a SQLite file's writer thread", () => {
  it("answers and stores what the locked way alone does", async () => {
    const batches = scenario();
    const withThread = await collectorOn(true);
    const without = await collectorOn(false);
    for (const body of batches) {
      // Batches naming respondents come from a backend: the secret key, no tokens.
      const backend = JSON.stringify(body).includes('"respondent":{"id"');
      const a = await withThread.call(
        "POST",
        "/v1/batch",
        backend ? withThread.sk : withThread.pk,
        body,
      );
      const b = await without.call("POST", "/v1/batch", backend ? without.sk : without.pk, body);
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
      expect(shape(a.body)).toStrictEqual(shape(b.body));
      expect(a.body.accepted.map((x: { id: string }) => x.id).filter((id: string) => !id)).toEqual(
        [],
      );
    }
    // Feedback ids are made by the collector: feedback and its loops compare by what they hold.
    const x = contents(withThread.path);
    const y = contents(without.path);
    expect(x.responses).toStrictEqual(y.responses);
    expect(x.loops.filter((l) => l.source_id !== null).length).toBe(y.loops.length);
    expect(x.claims.length).toBe(y.claims.length);
    expect(x.claims.map((c) => c.key)).toStrictEqual(y.claims.map((c) => c.key));
    expect(x.feedback).toStrictEqual(y.feedback);
    expect(x.feedbackLoops).toStrictEqual(y.feedbackLoops);
    expect(x.words).toStrictEqual(y.words);
    expect(x.risk).toStrictEqual(y.risk);
    expect(x.risk.map((r) => `${r.customer_id} ${r.reason}`).sort()).toEqual([
      "alice repeat_detractor",
      "alice score_drop",
      "bob score_drop",
      "carol repeat_detractor",
    ]);
    expect(x.responses.length).toBe(43);
    expect(x.feedback.length).toBe(3);
    expect(x.loops.length).toBe(46); // 43 responses and 3 feedback items
  });

  it("the same batch sent twice at once stores it once: one send new, the other duplicates", async () => {
    const r = await collectorOn(true);
    for (let round = 0; round < 15; round++) {
      const body = batch(
        ...Array.from({ length: 20 }, (_, i) =>
          i % 4 === 3
            ? { type: "feedback", data: { channel: "support", text: `again ${round}.${i}` } }
            : { type: "response", data: response({ score: (round + i) % 11, why: "again" }) },
        ),
      );
      const [a, b] = await Promise.all([
        r.call("POST", "/v1/batch", r.pk, body),
        r.call("POST", "/v1/batch", r.pk, body),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      for (let i = 0; i < 20; i++) {
        const pair = [a.body.accepted[i], b.body.accepted[i]];
        expect(pair.map((p) => p.id)[0]).toBe(pair[1].id);
        expect(pair.map((p) => p.duplicate).sort()).toEqual([false, true]);
      }
    }
    const stored = contents(r.path);
    expect(stored.responses.length).toBe(225);
    expect(stored.feedback.length).toBe(75);
    expect(stored.loops.length).toBe(300);
    expect(stored.claims.length).toBe(300);
  });

  it("one respondent's answers in batches sent at once raise the risk signal once: the history is checked when written", async () => {
    // Two detractor answers of one respondent, each in its own batch, sent at once: whichever is
    // written second must see the first in the respondent's history. Read on committed data, both
    // would see none; the writer thread finds the history grown and sends the second back.
    const r = await collectorOn(true);
    const who = Array.from({ length: 15 }, () => `cus-${uuidv7()}`);
    for (const id of who) {
      const answer = (score: number) =>
        batch({ type: "response", data: { ...response({ score }), respondent: { id } } });
      const sent = await Promise.all([
        r.call("POST", "/v1/batch", r.sk, answer(1)),
        r.call("POST", "/v1/batch", r.sk, answer(2)),
      ]);
      for (const s of sent) expect(s.body.accepted).toHaveLength(1);
    }
    const risk = contents(r.path).risk;
    for (const id of who) {
      expect(risk.filter((x) => x.customer_id === id).map((x) => x.reason)).toEqual([
        "repeat_detractor",
      ]);
    }
  });

  it("a batch of feedback is decided on committed data, and so is a score history: a call that path does not take runs it again, locked", async () => {
    // On the writer thread's way `fn` runs against the reader; reading a loop is not part of that
    // way, so `fn` starts again in a locked transaction. A batch that went locked at once runs once.
    const path = join(mkdtempSync(join(tmpdir(), "closeloop-writer-thread-")), "c.db");
    const store = sqliteStore(path);
    await store.migrate();
    try {
      const runs = async (itemTypes: string[]) => {
        let n = 0;
        await store.transaction(async (tx) => {
          n++;
          await tx.prefetchBatch?.("env", { keys: ["k"], responseIds: [], itemTypes });
          await tx.getLoop("env", "no-such-loop");
        });
        return n;
      };
      expect(await runs(["feedback"])).toBe(2);
      // A respondent's score history is read on that way too: `fn` that reads it runs once.
      let n = 0;
      await store.transaction(async (tx) => {
        n++;
        await tx.prefetchBatch?.("env", {
          keys: ["k2"],
          responseIds: ["r2"],
          itemTypes: ["response"],
        });
        expect(await tx.scoreHistory("env", "alice", "nps")).toEqual([]);
      });
      expect(n).toBe(1);
      expect(await runs(["customer"])).toBe(1);
      expect(await runs(["feedback", "ack-seen"])).toBe(1);
    } finally {
      await store.close();
    }
  });

  it("a partial response and a finished one with its id, sent at once, end as one finished response with one loop", async () => {
    // Whichever the collector takes first, the other merges into it: the partial's score and
    // the finished one's reason, finished, and one loop. On the writer thread's way the second
    // finds the first's response written in between and runs again, locked.
    const r = await collectorOn(true);
    const ids: string[] = [];
    for (let round = 0; round < 15; round++) {
      const id = uuidv7();
      ids.push(id);
      const sent = await Promise.all([
        r.call(
          "POST",
          "/v1/batch",
          r.pk,
          batch({ type: "response", data: response({ score: 2 }, { id, finished: false }) }),
        ),
        r.call(
          "POST",
          "/v1/batch",
          r.pk,
          batch({ type: "response", data: response({ score: 5, why: "late" }, { id }) }),
        ),
      ]);
      for (const s of sent) expect(s.body.accepted).toHaveLength(1);
    }
    const stored = contents(r.path);
    for (const id of ids) {
      const row = stored.responses.find((x) => x.id === id) as {
        finished: number;
        answers: string;
      };
      expect(row.finished).toBe(1);
      const answers = JSON.parse(row.answers);
      expect(answers.why).toBe("late");
      expect([2, 5]).toContain(answers.score);
      expect(stored.loops.filter((l) => l.source_id === id)).toHaveLength(1);
    }
  });

  it("the main connection and the writer thread take turns at the write lock: neither waits for the other's", async () => {
    // With no busy timeout, a write that met the other side's lock would fail at once with
    // SQLITE_BUSY; on the main thread it would have waited with its event loop stopped.
    const r = await collectorOn(true, 0);
    let accepted = 0;
    for (let round = 0; round < 10; round++) {
      const sent = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          r.call(
            "POST",
            "/v1/batch",
            r.pk,
            i % 3 === 0
              ? batch({
                  type: "feedback",
                  data: { channel: "support", text: `ticket ${round}.${i}` },
                })
              : batch(
                  ...Array.from({ length: 20 }, (_, j) => ({
                    type: "response",
                    data: response({ score: (i + j) % 11 }),
                  })),
                ),
          ),
        ),
      );
      expect(sent.map((s) => s.status)).toEqual(sent.map(() => 200));
      for (const s of sent) accepted += s.body.accepted.length;
    }
    expect(accepted).toBe(10 * (4 + 8 * 20));
    const stored = contents(r.path);
    expect(stored.loops.length).toBe(accepted);
    expect(stored.claims.length).toBe(accepted);
  });

  it("a writer thread that stopped sends its batches back, to be written the usual way", async () => {
    const thread = startWriterThread(join(tmpdir(), `closeloop-missing-${uuidv7()}.db`), {
      busyTimeoutMs: 100,
    });
    // It cannot open a file that is not there: the write in flight fails, later ones come back.
    const first = await thread.write([["claim", []]]);
    expect(first.written).toBe(false);
    await new Promise<void>((resolve) => {
      const wait = () => (thread.stopped ? resolve() : setTimeout(wait, 10));
      wait();
    });
    expect(await thread.write([["claim", []]])).toStrictEqual({ written: false, race: true });
    // Closing it, once it has exited, does not wait for an exit that already happened.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await thread.close();
  });
});
