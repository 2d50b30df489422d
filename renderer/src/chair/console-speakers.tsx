import { useTranslation } from 'react-i18next';
import type { RoomSnapshot } from '../../../shared/room/events';
import { SpeakerTimer } from '../room/speaker-timer';
import type { Act } from './use-act';

/** The floor: who speaks (with the timer) and the queue, granted in order. */
export function ConsoleSpeakers({ snapshot: s, act, offsetMs }: Readonly<{ snapshot: RoomSnapshot; act: Act; offsetMs: number }>) {
  const { t } = useTranslation();
  const meetingId = s.meeting.meetingId;
  const speaking = s.speakers.find((x) => x.status === 'speaking');
  const waiting = s.speakers.filter((x) => x.status === 'waiting').sort((a, b) => a.position - b.position);
  return (
    <section className="panel" aria-labelledby="c-sp">
      <h2 id="c-sp">{t('speakers.title')}</h2>
      {speaking ? (
        <div className="speaking-now">
          <strong>{speaking.displayName}</strong>
          {speaking.startedAt && <SpeakerTimer startedAt={speaking.startedAt} limitSeconds={speaking.limitSeconds} offsetMs={offsetMs} />}
          <button type="button" className="btn btn-small" onClick={() => void act((c) => c.request('speaker:end', { meetingId, requestId: speaking.requestId }))}>
            {t('chair.endSpeech')}
          </button>
        </div>
      ) : (
        <p className="muted">{t('speakers.nobody')}</p>
      )}
      <ol className="queue">
        {waiting.map((w) => (
          <li key={w.requestId}>
            <span>{w.displayName}</span>
            <button
              type="button"
              className="btn btn-small btn-primary"
              onClick={() => void act((c) => c.request('speaker:grant', { meetingId, requestId: w.requestId, limitSeconds: 180 }))}
            >
              {t('chair.grant')}
            </button>
          </li>
        ))}
      </ol>
      {waiting.length === 0 && <p className="muted">{t('speakers.emptyQueue')}</p>}
    </section>
  );
}
