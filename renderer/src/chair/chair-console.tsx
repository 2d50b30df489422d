import { useTranslation } from 'react-i18next';
import type { RoomSnapshot } from '../../../shared/room/events';
import { useRoom } from '../room/use-room';
import { navigate } from '../router';
import { useSession } from '../session';
import { ConsoleAgenda } from './console-agenda';
import { ConsoleAttendance } from './console-attendance';
import { ConsoleSpeakers } from './console-speakers';
import { ConsoleVoting } from './console-voting';
import { useAct, type Act } from './use-act';

/** Start / pause / resume / end, the hall display and the way back to the room. */
function SessionActions({ snapshot: s, act }: Readonly<{ snapshot: RoomSnapshot; act: Act }>) {
  const { t } = useTranslation();
  const meetingId = s.meeting.meetingId;
  const status = s.meeting.status;
  return (
    <div className="room-head-actions">
      <span className={`chip chip-status-${status}`}>{t(`status.${status}`)}</span>
      {status !== 'in_progress' && status !== 'closed' && (
        <button type="button" className="btn btn-primary" onClick={() => void act((c) => c.request('meeting:start', { meetingId }))}>
          {t('chair.start')}
        </button>
      )}
      {status === 'in_progress' &&
        (s.meeting.paused ? (
          <button type="button" className="btn" onClick={() => void act((c) => c.request('meeting:resume', { meetingId }))}>
            {t('chair.resume')}
          </button>
        ) : (
          <button type="button" className="btn" onClick={() => void act((c) => c.request('meeting:pause', { meetingId }))}>
            {t('chair.pause')}
          </button>
        ))}
      {status === 'in_progress' && (
        <button type="button" className="btn btn-danger" onClick={() => void act((c) => c.request('meeting:end', { meetingId }))}>
          {t('chair.end')}
        </button>
      )}
      <button type="button" className="btn btn-ghost" onClick={() => window.open(`/display/${meetingId}`, '_blank', 'noopener')}>
        {t('chair.openDisplay')}
      </button>
      <button type="button" className="btn btn-ghost" onClick={() => navigate(`/meetings/${meetingId}`)}>
        {t('chair.toRoom')}
      </button>
    </div>
  );
}

/** The chair's console: run the session, agenda, attendance, votes and the floor. */
export function ChairConsole({ meetingId }: Readonly<{ meetingId: string }>) {
  const { t } = useTranslation();
  const { session } = useSession();
  const room = useRoom(meetingId, session?.token ?? null);
  const { act, error, setError } = useAct(room.client);
  const s = room.snapshot;

  if (!s) {
    return (
      <main className="page">
        {room.error ? (
          <p className="form-error" role="alert">
            {t('room.liveError')}
          </p>
        ) : (
          <p className="muted">{t('room.connecting')}</p>
        )}
      </main>
    );
  }
  return (
    <main className="console" id="main">
      <div className="room-head">
        <div>
          <h1>{t('chair.title')}</h1>
          <p className="muted">{s.meeting.title}</p>
        </div>
        <SessionActions snapshot={s} act={act} />
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="console-grid">
        <ConsoleAgenda snapshot={s} act={act} />
        <ConsoleVoting snapshot={s} client={room.client} act={act} onError={setError} offsetMs={room.clockOffsetMs} />
        <ConsoleAttendance snapshot={s} act={act} />
        <ConsoleSpeakers snapshot={s} act={act} offsetMs={room.clockOffsetMs} />
      </div>
    </main>
  );
}
