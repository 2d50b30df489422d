import { useTranslation } from 'react-i18next';
import type { RoomSnapshot } from '../../../shared/room/events';
import { useFormat } from '../i18n/format';
import { sortByVietnameseName } from '../room/sort-names';
import type { Act } from './use-act';

/**
 * Attendance as the chair keeps it: the quorum line, then every voting member in Vietnamese list order
 * (by given name) with a present/absent toggle. The toggle's visible word is part of its accessible
 * name ("Có mặt: <name>", pressed or not), so speech input and screen readers agree with the screen.
 */
export function ConsoleAttendance({ snapshot: s, act }: Readonly<{ snapshot: RoomSnapshot; act: Act }>) {
  const { t } = useTranslation();
  const f = useFormat();
  const meetingId = s.meeting.meetingId;
  const voters = sortByVietnameseName(
    s.attendance.filter((a) => a.role === 'chair' || a.role === 'delegate'),
    (a) => a.displayName,
  );
  return (
    <section className="panel" aria-labelledby="c-att">
      <h2 id="c-att">{t('attendance.title')}</h2>
      <p className={`quorum ${s.quorum.met ? 'quorum-met' : 'quorum-not'}`}>
        {t('attendance.quorum', { present: f.number(s.quorum.present), total: f.number(s.quorum.total), required: f.number(s.quorum.required) })}
        <strong>{s.quorum.met ? t('attendance.quorumMet') : t('attendance.quorumNotMet')}</strong>
      </p>
      <ul className="attendance">
        {voters.map((a) => (
          <li key={a.userId}>
            <span className={`dot ${a.present ? 'dot-on' : 'dot-off'}`} aria-hidden="true" />
            <span className="attendance-name">{a.displayName}</span>
            <button
              type="button"
              className="btn btn-small attendance-toggle"
              aria-pressed={a.present}
              onClick={() => void act((c) => c.request('attendance:mark', { meetingId, userId: a.userId, present: !a.present }))}
            >
              {t('attendance.present')}
              <span className="visually-hidden">: {a.displayName}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
