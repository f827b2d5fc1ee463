// Schema step 3: what metrics and risk signals read beside a loop — the opening response's
// scoring answer and when the loop first reached `acknowledged` and `closed` — with the rows
// already stored filled in from their documents (same step as the SQLite store's).
const firstReached = (to: string) => `(SELECT (x.e ->> 'at')::timestamptz
  FROM jsonb_array_elements(loops.data -> 'events') WITH ORDINALITY AS x (e, n)
  WHERE x.e ->> 'to' = '${to}' ORDER BY x.n LIMIT 1)`;

export const loopMetrics = `
ALTER TABLE loops ADD COLUMN action text NOT NULL DEFAULT 'none', ADD COLUMN score_type text, ADD COLUMN score integer,
  ADD COLUMN first_acknowledged_at timestamptz, ADD COLUMN first_closed_at timestamptz;

UPDATE loops SET action = data -> 'route' ->> 'action',
  first_acknowledged_at = ${firstReached("acknowledged")},
  first_closed_at = ${firstReached("closed")};

-- The scoring question is the survey's first nps/csat/ces/rating question (core's scoringQuestionOf).
UPDATE loops SET (score_type, score) = (
  SELECT y.q ->> 'type', (r.data -> 'answers' ->> (y.q ->> 'id'))::integer
  FROM responses AS r
  JOIN surveys AS s ON s.env_id = r.env_id AND s.id = r.survey_id AND s.version = r.survey_version,
    jsonb_array_elements(s.definition -> 'questions') WITH ORDINALITY AS y (q, n)
  WHERE r.env_id = loops.env_id AND r.id = loops.source_id
    AND y.q ->> 'type' IN ('nps', 'csat', 'ces', 'rating')
  ORDER BY y.n LIMIT 1)
WHERE source_kind = 'response';
UPDATE loops SET score_type = NULL WHERE score IS NULL;
UPDATE loops SET meta = jsonb_set(meta, '{score}', jsonb_build_object('type', score_type, 'value', score))
  WHERE score IS NOT NULL;

-- Nothing reads responses or feedback by time any more (metrics read loops), and every index
-- costs each ingested item a b-tree insert.
DROP INDEX IF EXISTS responses_received;
DROP INDEX IF EXISTS responses_survey;
DROP INDEX IF EXISTS feedback_received;

-- Metrics read one environment's loops opened in a period, and risk signals one respondent's
-- scores. Loop rows are wide (their whole history as JSON), so both indexes carry every column
-- those statements read, for index-only scans.
CREATE INDEX loops_metrics ON loops (env_id, opened_at) INCLUDE (state, segment, source_kind,
  action, score_type,
  score, first_acknowledged_at, first_closed_at, acknowledge_by, acknowledged_at, close_by,
  closed_at, customer_id, customer_value, survey_id, journey, touchpoint, region, respondent_id);
CREATE INDEX customer_events_customer ON customer_events (env_id, customer_id, at, id);
CREATE INDEX loops_respondent_scores ON loops (env_id, respondent_id, score_type, opened_at, id)
  INCLUDE (score, segment, survey_id, journey, touchpoint, region)
  WHERE respondent_id IS NOT NULL AND score_type IS NOT NULL;
`;
