import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomClient } from '../../../shared/room/client';
import type { AttendanceEntry, PollView } from '../../../shared/room/events';

type Pending = { userId: string; displayName: string }[];

/** At most one poll:pending request per this many ms, however fast ballots arrive. */
const MIN_INTERVAL_MS = 1500;

/**
 * Who has not voted yet in the open poll, by name, with
 * absent members marked; read on demand with poll:pending whenever the progress moves.
 */
export function NotVoted({ client, poll, attendance }: Readonly<{ client: RoomClient | null; poll: PollView; attendance: readonly AttendanceEntry[] }>) {
  const { t } = useTranslation();
  const [pending, setPending] = useState<Pending | null>(null);
  const lastAsked = useRef(0);
  const { meetingId, pollId } = poll;
  const voted = poll.progress.voted;

  useEffect(() => {
    if (!client) {
      return;
    }
    let live = true;
    // Throttled, not debounced: a steady stream of ballots still refreshes the list.
    const delay = Math.max(0, lastAsked.current + MIN_INTERVAL_MS - Date.now());
    const timer = setTimeout(() => {
      lastAsked.current = Date.now();
      void client.request('poll:pending', { meetingId, pollId }).then((r) => {
        if (live && r.ok) {
          setPending(r.notVoted);
        }
      });
    }, delay);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `voted` is not read inside: it is the trigger to ask again when the progress moves.
  }, [client, meetingId, pollId, voted]);

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
