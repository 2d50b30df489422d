-- Audit entries appended inside a caller's transaction are chained when that transaction COMMITs,
-- inside PostgreSQL, not when the caller appends (docs/architecture.md "Facts learned the hard way").
--
-- Why: the chain's advisory lock was taken by the append and held to the end of the transaction, and
-- in a transaction driven from Node the COMMIT is sent only once the server process has read the
-- append's answer. On a saturated machine that took p50 1.6 ms, p99 45 ms, max 112 ms (the node
-- waiting for a core), and every other append of the cluster — the 300 polls' opens, closes and the
-- ballot batches at 10,000 delegates — waited behind it (docs/benchmarks.md, ninth round). Now the
-- caller's statement only inserts into audit_pending (no lock), and a deferred constraint trigger
-- moves the transaction's pending entries into the chain at COMMIT: the lock is held from there to
-- the end of the commit, with no round trip to the client in between.
--
-- What stays: an entry commits with the change it records or not at all (the trigger runs in the
-- committing transaction; if it fails, the COMMIT fails and nothing is kept); entries of one
-- transaction are chained in the order they were appended; one global chain, seq and hashes
-- computed by audit_append (migration 0017) exactly as before, so `audit verify` checks every row
-- alike. Chain order is the order in which transactions commit, as it was in effect: an entry of a
-- change that another transaction could see (a poll's opening) is chained before any entry of that
-- transaction (the ballots cast in the poll). Callers no longer need to append last.
CREATE TABLE audit_pending (
  id bigserial PRIMARY KEY,
  -- One entry as audit_append takes it: {at, actor_id, meeting_id, action, data, prefix}.
  entry json NOT NULL,
  lock_key bigint NOT NULL,
  genesis text NOT NULL
);
--> statement-breakpoint

-- Fired once per pending row at COMMIT, in the order the rows were inserted. The first firing takes
-- the transaction's entries from its row on (committed transactions leave no rows, other
-- transactions' rows are not visible to it) and notes the last id it chained in a transaction-local
-- setting, so the firings of the rows it took return at once. VOLATILE PL/pgSQL: audit_append's
-- INSERT takes its own snapshot after the lock is granted.
CREATE OR REPLACE FUNCTION audit_chain_pending() RETURNS trigger
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_entries json;
  v_lock_key bigint;
  v_genesis text;
  v_last bigint;
BEGIN
  IF NEW.id <= coalesce(nullif(current_setting('ecab.audit_chained_to', true), '')::bigint, 0) THEN
    RETURN NULL;
  END IF;
  WITH taken AS (DELETE FROM audit_pending WHERE id >= NEW.id RETURNING id, entry, lock_key, genesis)
  SELECT json_agg(t.entry ORDER BY t.id), min(t.lock_key), min(t.genesis), max(t.id) INTO v_entries, v_lock_key, v_genesis, v_last
  FROM taken t;
  IF v_entries IS NOT NULL THEN
    PERFORM set_config('ecab.audit_chained_to', v_last::text, true);
    PERFORM audit_append(v_entries, v_lock_key, v_genesis);
  END IF;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint

CREATE CONSTRAINT TRIGGER audit_pending_chain AFTER INSERT ON audit_pending
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION audit_chain_pending();
