-- A ballot batch's rows are admitted only into a poll OF THE MEETING the voter votes in (the row's
-- meeting_id, the voter's membership): migration 0017 checked the poll open and the voter a member,
-- but not that the poll was that meeting's. The server looks the poll up under the meeting
-- (server/polls/poll-cache.ts); this makes the database refuse a mismatch on its own, as the full
-- path (server/polls/ballot-queue.ts) now does too. Otherwise as in 0017.
CREATE OR REPLACE FUNCTION ballot_batch_admitted(p_batch json, p_polls uuid[], p_now timestamptz, p_signed_rule boolean)
RETURNS int[]
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_ok int[];
BEGIN
  SELECT coalesce(array_agg(i.ord), '{}') INTO v_ok
  FROM json_to_recordset(p_batch) AS i(ord int, poll_id uuid, meeting_id uuid, voter_id uuid, signed boolean)
  JOIN (
    SELECT p.id, p.meeting_id FROM polls p
    WHERE p.id = ANY(p_polls) AND p.status = 'open' AND (p.closes_at IS NULL OR p.closes_at > p_now)
    FOR SHARE
  ) open_polls ON open_polls.id = i.poll_id AND open_polls.meeting_id = i.meeting_id
  JOIN meeting_members mm ON mm.meeting_id = i.meeting_id AND mm.user_id = i.voter_id AND mm.role IN ('chair', 'delegate')
  JOIN meetings m ON m.id = i.meeting_id
  WHERE NOT p_signed_rule OR coalesce(i.signed, false) OR NOT m.require_signed_ballots;
  RETURN v_ok;
END
$fn$;
