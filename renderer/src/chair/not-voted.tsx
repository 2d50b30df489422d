import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { CLIENT_ERRORS, RoomError, type RoomClient } from '../../../shared/room/client';
import type { AttendanceEntry, PollView } from '../../../shared/room/events';

/** At most one poll:pending request per this many ms, however fast ballots arrive. */
const MIN_INTERVAL_MS = 1500;

const pendingKey = (meetingId: string, pollId: string) => ['poll-pending', meetingId, pollId] as const;

/**
 * Who has not voted yet in the open poll, by name, with absent members marked. Read with poll:pending
 * (a TanStack query over the room socket) and read again whenever the progress moves.
 */
export function NotVoted({ client, poll, attendance }: Readonly<{ client: RoomClient | null; poll: PollView; attendance: readonly AttendanceEntry[] }>) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const { meetingId, pollId } = poll;
  const lastAsked = useRef(0);
  const { data: pending } = useQuery({
    queryKey: pendingKey(meetingId, pollId),
    queryFn: async () => {
      if (!client) {
        throw new RoomError(CLIENT_ERRORS.DISCONNECTED, 'no room connection');
      }
      lastAsked.current = Date.now();
      const r = await client.request('poll:pending', { meetingId, pollId });
      if (!r.ok) {
        throw new RoomError(r.error.code, r.error.message);
      }
      return r.notVoted;
    },
    enabled: client !== null,
  });

  // The progress counter is the room's signal that the list changed; it carries counts, not names.
  // Throttled, not debounced: a steady stream of ballots still refreshes the list.
  const voted = poll.progress.voted;
  // The count the list was last asked for (the query's own first read is for the count at mount).
  const askedFor = useRef(voted);
  useEffect(() => {
    if (voted === askedFor.current) {
      return;
    }
    const delay = Math.max(0, lastAsked.current + MIN_INTERVAL_MS - Date.now());
    const timer = setTimeout(() => {
      askedFor.current = voted;
      void queries.invalidateQueries({ queryKey: pendingKey(meetingId, pollId) });
    }, delay);
    return () => clearTimeout(timer);
  }, [queries, meetingId, pollId, voted]);

  if (!pending || pending.length === 0) {
    return null;
  }
  const present = new Map(attendance.map((a) => [a.userId, a.present]));
  return (
    <details className="named not-voted">
      <summary>{t('vote.notVotedList', { count: pending.length })}</summary>
      <ul>
        {pending.map((p) => (
          <li key={p.userId}>
            <span>{p.displayName}</span>
            {present.get(p.userId) === false && <span className="muted">{t('attendance.absent')}</span>}
          </li>
        ))}
      </ul>
    </details>
  );
}
