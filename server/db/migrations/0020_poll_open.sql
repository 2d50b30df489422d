-- A poll's open as ONE statement (server/polls/lifecycle.ts openPoll) instead of a transaction of five
-- (BEGIN, the locked rows, the meeting's state, the audited update, COMMIT). With 10,000 delegates in
-- 300 meetings the 300 opens come at once, and a node spent ≈ 2 s of saturated CPU on them (drizzle
-- building the statements, a socket write per statement) while the first ballots waited behind them
-- (docs/benchmarks.md "Live room, sixteenth round"). VOLATILE PL/pgSQL on purpose, as the ballot
-- batches (migration 0017): each statement below takes a fresh snapshot (READ COMMITTED), so the
-- meeting's state is read after its lock was granted and sees every vote opened and every attendance
-- change committed before it, as the transaction it replaces did.
--
-- Refusals change nothing and come back as {"refused": …} for the caller to word; success as
-- {"poll": the opened row, "eligible": voting members}. The audit entries are queued in audit_pending
-- exactly as server/audit/log.ts queueEntries does, with the canonical body (entryPrefix) written
-- here for these two fixed shapes: the keys in RFC 8785 order, uuids and the caller's ISO times as
-- they are, and the override's reason as the caller serialized it (canonicalJson). `audit verify`
-- recomputes every hash from the stored data in TypeScript, so a body written differently here fails
-- it (tests/integration/poll-open-function.test.ts).
CREATE OR REPLACE FUNCTION poll_open(
  p_poll uuid,
  p_meeting uuid,
  p_actor uuid,
  p_now timestamptz,
  p_at text,
  p_override text,
  p_override_json text,
  p_lock_key bigint,
  p_genesis text
) RETURNS json
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_poll polls;
  v_meeting meetings;
  v_other boolean;
  v_eligible int;
  v_present int;
  v_met boolean;
  v_closes timestamptz;
  v_data text;
  v_entries json[] := '{}';
  v_row polls;
BEGIN
  -- The poll first, then its meeting: the order the paper count (server/polls/paper.ts) takes them in.
  SELECT p.* INTO v_poll FROM polls p WHERE p.id = p_poll AND p.meeting_id = p_meeting FOR UPDATE;
  IF NOT FOUND THEN
    RETURN json_build_object('refused', 'not_found');
  END IF;
  SELECT m.* INTO v_meeting FROM meetings m WHERE m.id = p_meeting FOR UPDATE;
  IF v_poll.status <> 'draft' THEN
    RETURN json_build_object('refused', 'not_draft', 'status', v_poll.status);
  END IF;
  IF v_meeting.status <> 'in_progress' OR v_meeting.paused THEN
    RETURN json_build_object('refused', 'meeting_not_running');
  END IF;

  SELECT EXISTS (SELECT 1 FROM polls p WHERE p.meeting_id = p_meeting AND p.status = 'open') INTO v_other;
  IF v_other THEN
    RETURN json_build_object('refused', 'other_open');
  END IF;
  -- server/meetings/voting-members.ts votingCountsQuery: chair and delegates, and how many are present.
  SELECT count(*)::int, (count(*) FILTER (WHERE a.present))::int INTO v_eligible, v_present
  FROM meeting_members mm
  LEFT JOIN attendance a ON a.meeting_id = p_meeting AND a.user_id = mm.user_id
  WHERE mm.meeting_id = p_meeting AND mm.role IN ('chair', 'delegate');

  -- shared/domain/quorum.ts quorum(): an empty body has no quorum; else present * den >= total * num.
  v_met := v_eligible > 0 AND v_present * v_meeting.quorum_den >= v_eligible * v_meeting.quorum_num;
  IF NOT v_met THEN
    IF p_override IS NULL THEN
      RETURN json_build_object('refused', 'quorum', 'present', v_present, 'eligible', v_eligible, 'num', v_meeting.quorum_num, 'den', v_meeting.quorum_den);
    END IF;
    -- data {pollId, present, reason, required, total}; required = ceil(total * num / den) (quorumRequired).
    v_data := '{"pollId":"' || p_poll || '","present":' || v_present || ',"reason":' || p_override_json
      || ',"required":' || ((v_eligible * v_meeting.quorum_num + v_meeting.quorum_den - 1) / v_meeting.quorum_den)
      || ',"total":' || v_eligible || '}';
    v_entries := v_entries || poll_audit_entry(p_at, p_actor, p_meeting, 'poll.quorum_override', v_data);
  END IF;

  IF coalesce(v_poll.duration_seconds, 0) <> 0 THEN
    v_closes := p_now + make_interval(secs => v_poll.duration_seconds);
  END IF;
  -- data {closesAt, pollId}; closesAt as Date.toISOString() writes it (p_now has whole milliseconds).
  v_data := '{"closesAt":'
    || coalesce('"' || to_char(v_closes AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'null')
    || ',"pollId":"' || p_poll || '"}';
  v_entries := v_entries || poll_audit_entry(p_at, p_actor, p_meeting, 'poll.open', v_data);

  UPDATE polls p
  SET status = 'open', opened_at = p_now, closes_at = v_closes, reason = CASE WHEN v_met THEN p.reason ELSE p_override END
  WHERE p.id = p_poll
  RETURNING p.* INTO v_row;
  INSERT INTO audit_pending (entry, lock_key, genesis)
  SELECT e.entry, p_lock_key, p_genesis FROM unnest(v_entries) WITH ORDINALITY AS e(entry, ord) ORDER BY e.ord;
  RETURN json_build_object('poll', row_to_json(v_row), 'eligible', v_eligible);
END
$fn$;
--> statement-breakpoint

-- One audit entry as server/audit/log.ts auditRow makes it: its fields and the canonical body up to
-- its seq (entryPrefix), around `p_data`, the entry's data already in canonical JSON.
CREATE OR REPLACE FUNCTION poll_audit_entry(p_at text, p_actor uuid, p_meeting uuid, p_action text, p_data text) RETURNS json
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT json_build_object(
    'at', p_at,
    'actor_id', p_actor,
    'meeting_id', p_meeting,
    'action', p_action,
    'data', p_data,
    'prefix', '{"action":"' || p_action || '","actorId":' || coalesce('"' || p_actor || '"', 'null') || ',"at":"' || p_at
      || '","data":' || p_data || ',"meetingId":' || coalesce('"' || p_meeting || '"', 'null') || ',"seq":'
  )
$fn$;
