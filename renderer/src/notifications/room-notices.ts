import type { RoomNotice } from '../../../shared/ipc';
import type { RoomSnapshot } from '../../../shared/room/events';

/**
 * Which room changes notify this user. Pure, so the rules are unit-tested;
 * only transitions count — the first snapshot after joining (or a reconnect snapshot that changes
 * nothing) notifies nobody, and the desktop notifier de-duplicates by id besides.
 *
 * - a vote opens → members who may vote in it and have not voted yet;
 * - the chair gives the floor → only the delegate who now speaks;
 * - a document arrives → every member (see documentNotices).
 */
export function roomNotices(prev: RoomSnapshot | null, next: RoomSnapshot): RoomNotice[] {
  if (!prev || prev.meeting.meetingId !== next.meeting.meetingId) {
    return [];
  }
  const out: RoomNotice[] = [];
  const poll = next.openPoll;
  if (
    poll &&
    poll.status === 'open' &&
    prev.openPoll?.pollId !== poll.pollId &&
    next.me.canVote &&
    !next.myBallots.some((b) => b.pollId === poll.pollId)
  ) {
    out.push({ kind: 'vote-opened', id: poll.pollId, title: poll.title.slice(0, 500) });
  }
  const wasSpeaking = new Set(prev.speakers.filter((s) => s.status === 'speaking').map((s) => s.requestId));
  for (const s of next.speakers) {
    if (s.status === 'speaking' && s.userId === next.me.userId && !wasSpeaking.has(s.requestId)) {
      out.push({ kind: 'floor-given', id: s.requestId });
    }
  }
  return out;
}

export interface DocumentLike {
  readonly id: string;
  readonly name: string;
}

/** Documents that appeared since the last look (`known` null = first look: nothing is new). */
export function documentNotices(known: ReadonlySet<string> | null, docs: readonly DocumentLike[]): RoomNotice[] {
  if (!known) {
    return [];
  }
  return docs.filter((d) => !known.has(d.id)).map((d) => ({ kind: 'document-added' as const, id: d.id, name: d.name.slice(0, 500) }));
}
