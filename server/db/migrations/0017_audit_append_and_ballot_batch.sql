-- The audit chain's append and the live room's batch of named ballots as functions, so each is ONE
-- statement (one round trip) instead of a transaction of several (docs/architecture.md "Guarantees
-- of a vote", "Facts learned the hard way"). Both are VOLATILE PL/pgSQL on purpose: such a function
-- takes a fresh snapshot for every statement it runs, so the chain's INSERT, run after the advisory
-- lock was granted, sees the entry the previous holder of the lock committed (READ COMMITTED).

-- Appends entries, in array order, to the one global hash chain: seq + 1 and
-- sha256(prevHash || prefix || seq || '}') per entry (server/audit/log.ts entryPrefix/entryHash: the
-- same hash, so `audit verify` checks every row alike). The lock is held to the end of the caller's
-- transaction: callers append last.
CREATE OR REPLACE FUNCTION audit_append(p_entries json, p_lock_key bigint, p_genesis text) RETURNS void
LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
  PERFORM pg_advisory_xact_lock(p_lock_key);
  WITH RECURSIVE input AS (
    SELECT e.ord::int AS ord, x.*
    FROM json_array_elements(p_entries) WITH ORDINALITY AS e(entry, ord),
      json_to_record(e.entry) AS x(at timestamptz, actor_id uuid, meeting_id uuid, action text, data text, prefix text)
  ),
  last AS (SELECT a.seq, a.hash FROM audit_log a ORDER BY a.seq DESC LIMIT 1),
  chain(ord, seq, hash) AS (
    SELECT 0, coalesce((SELECT l.seq FROM last l), 0)::bigint, coalesce((SELECT l.hash FROM last l), p_genesis)::text
    UNION ALL
    SELECT i.ord, c.seq + 1, encode(sha256(convert_to(c.hash || i.prefix || (c.seq + 1)::text || '}', 'UTF8')), 'hex')
    FROM chain c JOIN input i ON i.ord = c.ord + 1
  )
  INSERT INTO audit_log (seq, at, actor_id, meeting_id, action, data, prev_hash, hash)
  SELECT c.seq, i.at, i.actor_id, i.meeting_id, i.action, i.data, p.hash, c.hash
  FROM chain c JOIN input i ON i.ord = c.ord JOIN chain p ON p.ord = c.ord - 1
  ORDER BY c.ord;
END
$fn$;
--> statement-breakpoint

-- The rows of a ballot batch (json_to_recordset of `ord, poll_id, meeting_id, voter_id, signed`)
-- whose poll is open, its row taken FOR SHARE (a close waits for the ballots in flight), and whose
-- voter is a voting member of the meeting; with `p_signed_rule`, also signed where the meeting
-- requires signed ballots (named ballots only). Their `ord`s.
CREATE OR REPLACE FUNCTION ballot_batch_admitted(p_batch json, p_polls uuid[], p_now timestamptz, p_signed_rule boolean)
RETURNS int[]
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_ok int[];
BEGIN
  SELECT coalesce(array_agg(i.ord), '{}') INTO v_ok
  FROM json_to_recordset(p_batch) AS i(ord int, poll_id uuid, meeting_id uuid, voter_id uuid, signed boolean)
  JOIN (
    SELECT p.id FROM polls p
    WHERE p.id = ANY(p_polls) AND p.status = 'open' AND (p.closes_at IS NULL OR p.closes_at > p_now)
    FOR SHARE
  ) open_polls ON open_polls.id = i.poll_id
  JOIN meeting_members mm ON mm.meeting_id = i.meeting_id AND mm.user_id = i.voter_id AND mm.role IN ('chair', 'delegate')
  JOIN meetings m ON m.id = i.meeting_id
  WHERE NOT p_signed_rule OR coalesce(i.signed, false) OR NOT m.require_signed_ballots;
  RETURN v_ok;
END
$fn$;
--> statement-breakpoint

-- Appends the audit entries (each row's `audit`) of the batch rows in `p_ords`, in ord order.
CREATE OR REPLACE FUNCTION ballot_batch_audit(p_batch json, p_ords int[], p_lock_key bigint, p_genesis text)
RETURNS void
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_audit json;
BEGIN
  IF cardinality(p_ords) = 0 THEN
    RETURN;
  END IF;
  SELECT json_agg(i.audit ORDER BY i.ord) INTO v_audit
  FROM json_to_recordset(p_batch) AS i(ord int, audit json)
  WHERE i.ord = ANY(p_ords);
  PERFORM audit_append(v_audit, p_lock_key, p_genesis);
END
$fn$;
--> statement-breakpoint

-- A batch of NAMED ballots that need nothing but an insert (server/polls/ballot-queue.ts): the poll
-- is open (its row under FOR SHARE, so a close waits for the ballots in flight), the voter is a
-- voting member, signed when the meeting requires it, and neither the voter nor the ballot id has a
-- ballot yet. Those are inserted and their audit entries appended; the function returns their `ord`.
-- Every other ballot of the batch is left untouched for the caller's full path, which says exactly
-- why (closed, not a member, a retry, a changed vote). The checks mirror server/polls/ballot-rules.ts.
CREATE OR REPLACE FUNCTION cast_named_ballots(p_batch json, p_polls uuid[], p_now timestamptz, p_lock_key bigint, p_genesis text)
RETURNS SETOF int
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_ok int[];
  v_inserted int[];
BEGIN
  v_ok := ballot_batch_admitted(p_batch, p_polls, p_now, true);

  -- ON CONFLICT DO NOTHING also skips a second row of the same voter or ballot id within this batch;
  -- an inserted row belongs to the first ord with its (poll, voter, ballot id).
  WITH ins AS (
    INSERT INTO named_ballots (id, poll_id, voter_id, choice, signature, nonce, cast_at)
    SELECT i.id, i.poll_id, i.voter_id, i.choice, i.signature, i.nonce, i.cast_at
    FROM json_to_recordset(p_batch) AS i(ord int, id uuid, poll_id uuid, voter_id uuid, choice text, signature text, nonce text, cast_at text)
    WHERE i.ord = ANY(v_ok)
    ORDER BY i.ord
    ON CONFLICT DO NOTHING
    RETURNING named_ballots.id, named_ballots.poll_id, named_ballots.voter_id
  )
  SELECT coalesce(array_agg(first_ord ORDER BY first_ord), '{}') INTO v_inserted
  FROM (
    SELECT min(i.ord) AS first_ord
    FROM ins JOIN json_to_recordset(p_batch) AS i(ord int, id uuid, poll_id uuid, voter_id uuid)
      ON i.id = ins.id AND i.poll_id = ins.poll_id AND i.voter_id = ins.voter_id
    WHERE i.ord = ANY(v_ok)
    GROUP BY ins.id
  ) firsts;

  PERFORM ballot_batch_audit(p_batch, v_inserted, p_lock_key, p_genesis);
  RETURN QUERY SELECT unnest(v_inserted);
END
$fn$;
--> statement-breakpoint

-- The same for SECRET ballots (never signed): the voter goes to secret_voters (who voted) and the
-- choice only into the per-option counters (what was voted). As the full path does
-- (server/polls/ballot-queue.ts countSecret): every counter of each poll is rewritten, chosen or not
-- (+0), in one fixed order, so nothing in the counters' rows tells which one this statement's voters
-- moved. Per row the caller passes `options` (every counter key of the poll) and `adds` (the keys this
-- ballot adds one to: the ballot counter and the chosen options).
CREATE OR REPLACE FUNCTION cast_secret_ballots(p_batch json, p_polls uuid[], p_now timestamptz, p_lock_key bigint, p_genesis text)
RETURNS SETOF int
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_ok int[];
  v_inserted int[];
BEGIN
  v_ok := ballot_batch_admitted(p_batch, p_polls, p_now, false);

  WITH ins AS (
    INSERT INTO secret_voters (poll_id, user_id, ballot_id)
    SELECT i.poll_id, i.voter_id, i.id
    FROM json_to_recordset(p_batch) AS i(ord int, id uuid, poll_id uuid, voter_id uuid)
    WHERE i.ord = ANY(v_ok)
    ORDER BY i.ord
    ON CONFLICT DO NOTHING
    RETURNING secret_voters.poll_id, secret_voters.user_id, secret_voters.ballot_id
  )
  SELECT coalesce(array_agg(first_ord ORDER BY first_ord), '{}') INTO v_inserted
  FROM (
    SELECT min(i.ord) AS first_ord
    FROM ins JOIN json_to_recordset(p_batch) AS i(ord int, id uuid, poll_id uuid, voter_id uuid)
      ON i.id = ins.ballot_id AND i.poll_id = ins.poll_id AND i.voter_id = ins.user_id
    WHERE i.ord = ANY(v_ok)
    GROUP BY ins.poll_id, ins.user_id
  ) firsts;

  IF cardinality(v_inserted) > 0 THEN
    INSERT INTO secret_tallies (poll_id, option_id, votes)
    SELECT d.poll_id, d.option_id, sum(d.n)::int
    FROM (
      SELECT i.poll_id, o.option_id, 0 AS n
      FROM json_to_recordset(p_batch) AS i(ord int, poll_id uuid, options json)
        CROSS JOIN json_array_elements_text(i.options) AS o(option_id)
      WHERE i.ord = ANY(v_inserted)
      UNION ALL
      SELECT i.poll_id, a.option_id, 1
      FROM json_to_recordset(p_batch) AS i(ord int, poll_id uuid, adds json)
        CROSS JOIN json_array_elements_text(i.adds) AS a(option_id)
      WHERE i.ord = ANY(v_inserted)
    ) d
    GROUP BY d.poll_id, d.option_id
    ORDER BY d.poll_id, d.option_id COLLATE "C"
    ON CONFLICT (poll_id, option_id) DO UPDATE SET votes = secret_tallies.votes + excluded.votes;
  END IF;
  PERFORM ballot_batch_audit(p_batch, v_inserted, p_lock_key, p_genesis);
  RETURN QUERY SELECT unnest(v_inserted);
END
$fn$;
