/** @jsxImportSource hono/jsx */
import {
  canTransition,
  type Loop,
  type LoopState,
  type Question,
  type Survey,
} from "@closeloop/core";
import type { FC } from "hono/jsx";
import type { DeskLoop, DeskUser, InboxRow } from "../../store/desk-types.js";
import { age, due, instant, money, segmentName } from "../format.js";

const ago = (at: string, now: string) => {
  const a = age(at, now);
  return a === "now" ? "just now" : `${a} ago`;
};

import { can } from "../roles.js";
import { Layout, Outcome } from "./layout.js";

const INFORMED_VIA = ["email", "call", "in-app", "sms", "chat", "meeting"];

/** An answer as a person reads it: option texts, not ids. */
function answerText(q: Question | undefined, value: unknown, locale: string): string {
  const options = q && "options" in q ? q.options : [];
  const option = (id: unknown) => {
    const o = options.find((x) => x.id === id);
    return o ? (o.text[locale] ?? Object.values(o.text)[0] ?? o.id) : String(id);
  };
  if (Array.isArray(value)) return value.map(option).join(", ");
  if (value && typeof value === "object" && "other" in value)
    return `Other: ${String(value.other)}`;
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (options.length > 0) return option(value);
  return String(value);
}

const Source: FC<{ view: DeskLoop; survey?: Survey }> = ({ view, survey }) => {
  const source = view.source;
  if (!source) return <p>What opened this loop is no longer stored.</p>;
  if (source.kind === "feedback") {
    const f = source.feedback;
    return (
      <section aria-labelledby="said">
        <h2 id="said">Feedback ({f.channel})</h2>
        <blockquote class="words">{f.text}</blockquote>
        {f.tags && f.tags.length > 0 && <p>Tags: {f.tags.join(", ")}</p>}
      </section>
    );
  }
  const r = source.response;
  const locale = survey?.locales[0] ?? "en";
  return (
    <section aria-labelledby="said">
      <h2 id="said">Response to {r.surveyId}</h2>
      <dl class="answers">
        {Object.entries(r.answers).map(([id, value]) => {
          const q = survey?.questions.find((x) => x.id === id);
          return (
            <>
              <dt>{q ? (q.text[locale] ?? Object.values(q.text)[0] ?? id) : id}</dt>
              <dd>{answerText(q, value, locale)}</dd>
            </>
          );
        })}
      </dl>
    </section>
  );
};

const History: FC<{ loop: Loop }> = ({ loop }) => (
  <section aria-labelledby="history">
    <h2 id="history">History</h2>
    <ol class="history">
      {loop.events.map((e) => (
        <li>
          <time datetime={e.at}>{instant(e.at)}</time> {e.from ?? "opened"} →{" "}
          <strong>{e.to}</strong> by {e.actor}
          {e.owner && <> · owner {e.owner}</>}
          {e.informedVia && <> · told by {e.informedVia}</>}
          {e.message && <blockquote>{e.message}</blockquote>}
          {e.note && <p class="note">{e.note}</p>}
        </li>
      ))}
    </ol>
  </section>
);

const Earlier: FC<{ rows: InboxRow[]; now: string }> = ({ rows, now }) => (
  <section aria-labelledby="earlier">
    <h2 id="earlier">This customer's other loops</h2>
    {rows.length === 0 ? (
      <p>None.</p>
    ) : (
      <ul>
        {rows.map((r) => (
          <li>
            <a href={`/desk/loops/${encodeURIComponent(r.loop.id)}`}>
              {r.score ? `${r.score.type.toUpperCase()} ${r.score.value}` : r.loop.source.kind}
            </a>{" "}
            {segmentName(r.loop.segment)}, {r.loop.state}, {ago(r.loop.openedAt, now)}
          </li>
        ))}
      </ul>
    )}
  </section>
);

/**
 * The moves the state machine allows from the loop's state, each a form. The store decides
 * again when one is posted: a page left open while someone else acted may offer a move that is
 * no longer allowed, and its refusal says why.
 */
const Actions: FC<{ loop: Loop; owners: string[] }> = ({ loop, owners }) => {
  const action = `/desk/loops/${encodeURIComponent(loop.id)}/move`;
  const may = (to: LoopState) => canTransition(loop.state, to, loop.route.action);
  return (
    <section aria-labelledby="act" class="actions">
      <h2 id="act">Act</h2>
      {may("acknowledged") && (
        <form method="post" action={action}>
          <input type="hidden" name="to" value="acknowledged" />
          <button type="submit">Acknowledge</button>
        </form>
      )}
      {may("assigned") && (
        <form method="post" action={action}>
          <input type="hidden" name="to" value="assigned" />
          <label for="owner">Owner</label>
          <select id="owner" name="owner" required>
            {owners.map((o) => (
              <option value={o} selected={o === loop.owner}>
                {o}
              </option>
            ))}
          </select>
          <button type="submit">Assign</button>
        </form>
      )}
      {may("resolved") && (
        <form method="post" action={action} class="resolve">
          <input type="hidden" name="to" value="resolved" />
          <label for="resolve-message">Message to the customer</label>
          <textarea id="resolve-message" name="message" rows={4} data-warnings="resolve-warnings" />
          <ul id="resolve-warnings" class="warnings" aria-live="polite" />
          <label for="root-cause">Root cause</label>
          <input id="root-cause" name="rootCause" maxlength={80} />
          <button type="submit">Resolve</button>
        </form>
      )}
      {may("closed") && (
        <form method="post" action={action}>
          <input type="hidden" name="to" value="closed" />
          <label for="informed-via">Customer told by</label>
          <select id="informed-via" name="informedVia">
            {INFORMED_VIA.map((v) => (
              <option value={v}>{v}</option>
            ))}
          </select>
          <label for="close-message">What they were told (default: the resolve message)</label>
          <textarea id="close-message" name="message" rows={2} />
          <button type="submit">Close</button>
        </form>
      )}
      {may("reopened") && (
        <form method="post" action={action}>
          <input type="hidden" name="to" value="reopened" />
          <button type="submit">Reopen</button>
        </form>
      )}
    </section>
  );
};

/** A loop's page: what the customer said, its history, their other loops, and every action. */
export const LoopPage: FC<{
  user: DeskUser;
  view: DeskLoop;
  survey?: Survey;
  now: string;
  owners: string[];
  refusal?: string;
  done?: string;
}> = ({ user, view, survey, now, owners, refusal, done }) => {
  const { loop } = view;
  return (
    <Layout title={`Loop ${loop.id}`} user={user}>
      <p>
        <a href="/desk">← Inbox</a>
      </p>
      <h1>
        {segmentName(loop.segment)} loop · <span class="state">{loop.state}</span>
      </h1>
      <Outcome refusal={refusal} done={done} />
      <dl class="facts">
        <dt>Opened</dt>
        <dd>
          {instant(loop.openedAt)} ({ago(loop.openedAt, now)})
        </dd>
        {loop.state === "closed" ? (
          <>
            <dt>Closed</dt>
            <dd>
              {view.breached && <span class="badge late">breached</span>} {instant(loop.updatedAt)}{" "}
              ({ago(loop.updatedAt, now)})
            </dd>
          </>
        ) : (
          <>
            <dt>Deadline</dt>
            <dd>
              {view.breached && <span class="badge late">breached</span>}{" "}
              {view.dueAt ? `${instant(view.dueAt)} (${due(view.dueAt, now)})` : "none"}
            </dd>
          </>
        )}
        <dt>Owner</dt>
        <dd>{loop.owner ?? "nobody yet"}</dd>
        {view.score && (
          <>
            <dt>Score</dt>
            <dd>
              {view.score.value} ({view.score.type.toUpperCase()})
            </dd>
          </>
        )}
        {loop.customer && (
          <>
            <dt>Customer</dt>
            <dd>
              {loop.customer.id}
              {can(user.role, "lead") && loop.customer.value !== undefined && (
                <> · value {money(loop.customer.value)}</>
              )}
            </dd>
          </>
        )}
      </dl>
      <Source view={view} {...(survey ? { survey } : {})} />
      {can(user.role, "act") && <Actions loop={loop} owners={owners} />}
      <History loop={loop} />
      <Earlier rows={view.earlier} now={now} />
    </Layout>
  );
};
