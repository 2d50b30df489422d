import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomSnapshot } from '../../../shared/room/events';
import type { RoomClient } from '../../../shared/room/client';
import { SpeakerTimer } from './speaker-timer';

/** Request to speak, the queue and the current speaker with a timer (delegate view). */
export function SpeakersPanel({ snapshot, client, offsetMs }: Readonly<{ snapshot: RoomSnapshot; client: RoomClient | null; offsetMs: number }>) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const meetingId = snapshot.meeting.meetingId;
  const speaking = snapshot.speakers.find((s) => s.status === 'speaking');
  const waiting = snapshot.speakers.filter((s) => s.status === 'waiting').sort((a, b) => a.position - b.position);
  const mine = snapshot.speakers.find((s) => s.userId === snapshot.me.userId && (s.status === 'waiting' || s.status === 'speaking'));

  async function request() {
    setError(null);
    const r = await client?.request('speaker:request', { meetingId, itemId: snapshot.meeting.currentItemId });
    if (r && !r.ok) {
      setError(r.error.message);
    }
  }
  async function withdraw(requestId: string) {
    setError(null);
    const r = await client?.request('speaker:withdraw', { meetingId, requestId });
    if (r && !r.ok) {
      setError(r.error.message);
    }
  }

  return (
    <section className="panel" aria-labelledby="speakers-h">
      <h2 id="speakers-h">{t('speakers.title')}</h2>
      {speaking ? (
        <p className="speaking-now">
          <span className="mic" aria-hidden="true">
            🎤
          </span>
          <span>
            <strong>{speaking.displayName}</strong>
            <br />
            {speaking.startedAt && <SpeakerTimer startedAt={speaking.startedAt} limitSeconds={speaking.limitSeconds} offsetMs={offsetMs} />}
          </span>
        </p>
      ) : (
        <p className="muted">{t('speakers.nobody')}</p>
      )}
      {waiting.length > 0 && (
        <ol className="queue" aria-label={t('speakers.queue')}>
          {waiting.map((s) => (
            <li key={s.requestId} className={s.userId === snapshot.me.userId ? 'queue-me' : undefined}>
              {s.displayName}
            </li>
          ))}
        </ol>
      )}
      {snapshot.me.canVote &&
        (mine ? (
          mine.status === 'waiting' && (
            <button type="button" className="btn btn-block" onClick={() => void withdraw(mine.requestId)}>
              {t('speakers.withdraw')}
            </button>
          )
        ) : (
          <button type="button" className="btn btn-primary btn-block" onClick={() => void request()} disabled={snapshot.meeting.status !== 'in_progress'}>
            {t('speakers.request')}
          </button>
        ))}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
