import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomSnapshot } from '../../../shared/room/events';
import type { RoomClient } from '../../../shared/room/client';
import { useFormat } from '../i18n/format';

/** Check-in and the room's quorum at a glance. */
export function CheckInPanel({ snapshot, client }: Readonly<{ snapshot: RoomSnapshot; client: RoomClient | null }>) {
  const { t } = useTranslation();
  const f = useFormat();
  const [error, setError] = useState<string | null>(null);
  const me = snapshot.attendance.find((a) => a.userId === snapshot.me.userId);
  const q = snapshot.quorum;
  async function checkIn() {
    setError(null);
    const r = await client?.request('attendance:checkIn', { meetingId: snapshot.meeting.meetingId });
    if (r && !r.ok) {
      setError(r.error.message);
    }
  }
  return (
    <section className="panel" aria-labelledby="checkin-h">
      <h2 id="checkin-h">{t('attendance.title')}</h2>
      <p className={`quorum ${q.met ? 'quorum-met' : 'quorum-not'}`}>
        {t('attendance.quorum', { present: f.number(q.present), total: f.number(q.total), required: f.number(q.required) })}
        <strong>{q.met ? t('attendance.quorumMet') : t('attendance.quorumNotMet')}</strong>
      </p>
      {snapshot.me.canVote &&
        (me?.present ? (
          <p className="checked-in" role="status">
            ✓ {t('attendance.checkedIn')}
          </p>
        ) : (
          <button type="button" className="btn btn-primary btn-block" onClick={() => void checkIn()} disabled={snapshot.meeting.status === 'closed'}>
            {t('attendance.checkIn')}
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
