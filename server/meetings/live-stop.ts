import { and, eq } from 'drizzle-orm';
import { polls, speakerRequests } from '../db/schema';
import { invalidState } from '../errors';
import type { Tx } from '../db/client';
import { endOpenSpeeches } from '../minutes/speeches';

export interface LiveStopped {
  /** The speech that was running (its timer stops with it), if any. */
  readonly endedSpeech: string | null;
  /** Waiting requests to speak, withdrawn by the close. */
  readonly withdrawn: number;
}

/**
 * What closing a meeting stops besides its status (docs/architecture.md "Live room"): the running
 * speech ends (the speaker timer is computed from it), every waiting request is withdrawn, and the
 * caller clears the current item in the same update that closes the meeting. Check-in and new
 * requests are refused by their handlers once the status is closed. Runs inside the closing
 * transaction, so a close is never half-done; both ways of closing (REST status, `meeting:end`) use it.
 */
export async function stopLive(tx: Tx, meetingId: string, at: Date): Promise<LiveStopped> {
  const ended = await tx
    .update(speakerRequests)
    .set({ status: 'done', endedAt: at })
    .where(and(eq(speakerRequests.meetingId, meetingId), eq(speakerRequests.status, 'speaking')))
    .returning({ id: speakerRequests.id });
  const withdrawn = await tx
    .update(speakerRequests)
    .set({ status: 'withdrawn', endedAt: at })
    .where(and(eq(speakerRequests.meetingId, meetingId), eq(speakerRequests.status, 'waiting')))
    .returning({ id: speakerRequests.id });
  // The minutes' record: every speaking turn still open (from the floor or added by hand) ends now.
  await endOpenSpeeches(tx, meetingId, at);
  return { endedSpeech: ended[0]?.id ?? null, withdrawn: withdrawn.length };
}

/** For the audit entry: what the close stopped, or nothing when nothing was live. */
export function stoppedData(s: LiveStopped | null): { stopped?: LiveStopped } {
  return s && (s.endedSpeech !== null || s.withdrawn > 0) ? { stopped: s } : {};
}

/** A vote in progress is not stopped silently: the chair closes or cancels it first (it has a result). */
export async function assertNoOpenPoll(tx: Tx, meetingId: string): Promise<void> {
  const [open] = await tx.select({ id: polls.id }).from(polls).where(and(eq(polls.meetingId, meetingId), eq(polls.status, 'open'))).limit(1);
  if (open) {
    throw invalidState('Close or cancel the open vote before ending the meeting');
  }
}
