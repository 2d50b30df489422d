-- A COMMIT no longer waits for the audit chain's lock (docs/architecture.md "Facts learned the hard
-- way"). The lock serializes every append of the cluster and is held to the end of the holder's
-- commit, WAL flush included. At COMMIT each transaction with pending entries took it in turn: with
-- 10,000 delegates in 300 meetings the polls' 1,800 COMMITs averaged 23.6 ms, nearly all of it
-- waiting in that queue, and the 300 polls opened one after another (the last one 3.3–4.3 s after
-- the first: docs/benchmarks.md, tenth round).
--
-- Now the COMMIT only tries the lock. Free: it chains, as before. Taken: its entries stay in
-- audit_pending, committed with the change they record, and whoever holds the lock next chains
-- them: every holder first takes ALL pending entries it can see, in id order, then its own. The
-- server process asks for that at once after such a commit (audit_chain_committed, one statement per
-- node at a time, server/audit/pending.ts) and answers its caller only then, so a reader of the log
-- still finds the entry. What stays true:
-- * an entry commits with the change it records or not at all (pending rows are written by the
--   transaction itself);
-- * one global chain, seq and hashes as before (audit_chain_entries below is 0017's statement), so
--   `audit verify` checks every row alike;
-- * causal order: an entry of a change another transaction saw (a poll's opening) is chained before
--   that transaction's entries (the ballots cast in the poll). The change committed before the later
--   transaction began, so its pending id is lower and every later holder sees it.
-- Entries of transactions committed close together may be chained in another order than their
-- commits (by pending id, that is by when each was appended).

-- Chains entries, in array order, after the chain's last entry. The caller holds the lock.
CREATE OR REPLACE FUNCTION audit_chain_entries(p_entries json, p_genesis text) RETURNS void
LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
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

-- Waits for the lock (held to the end of the caller's transaction), chains every pending entry this
-- transaction sees (its own and those committed by others), in id order, then p_entries in array
-- order. The ballot batches (migration 0017) call it with their entries.
CREATE OR REPLACE FUNCTION audit_append(p_entries json, p_lock_key bigint, p_genesis text) RETURNS void
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_pending json;
BEGIN
  PERFORM pg_advisory_xact_lock(p_lock_key);
  -- A fresh snapshot (VOLATILE), taken after the lock was granted: it sees what the previous holder chained.
  WITH taken AS (DELETE FROM audit_pending RETURNING id, entry)
  SELECT json_agg(t.entry ORDER BY t.id) INTO v_pending FROM taken t;
  IF v_pending IS NOT NULL THEN
    PERFORM audit_chain_entries(v_pending, p_genesis);
  END IF;
  IF json_array_length(p_entries) > 0 THEN
    PERFORM audit_chain_entries(p_entries, p_genesis);
  END IF;
END
$fn$;
--> statement-breakpoint

-- At COMMIT (the deferred trigger of migration 0018), once per transaction: chains what it can see
-- if the lock is free, else leaves its entries pending. Later firings of the same transaction return
-- at once: its first firing took (or left) all of its rows.
CREATE OR REPLACE FUNCTION audit_chain_pending() RETURNS trigger
LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
  IF current_setting('ecab.audit_chained_to', true) = 'all' THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('ecab.audit_chained_to', 'all', true);
  IF pg_try_advisory_xact_lock(NEW.lock_key) THEN
    PERFORM audit_append('[]'::json, NEW.lock_key, NEW.genesis);
  END IF;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint

-- Chains the entries other transactions left pending, if any (one cheap read when there are none).
CREATE OR REPLACE FUNCTION audit_chain_committed(p_lock_key bigint, p_genesis text) RETURNS void
LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
  IF EXISTS (SELECT 1 FROM audit_pending) THEN
    PERFORM audit_append('[]'::json, p_lock_key, p_genesis);
  END IF;
END
$fn$;
