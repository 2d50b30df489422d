import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingSummary } from '../../../shared/api/meetings';
import { endpoints } from '../api/endpoints';
import { navigate } from '../router';
import { useFormat } from '../i18n/format';
import { PackageSync } from '../components/package-sync';
import { ErrorNote } from '../components/error-note';

function RsvpControl({ meeting, onChanged }: Readonly<{ meeting: MeetingSummary; onChanged: () => void }>) {
  const { t } = useTranslation();
  const [askReason, setAskReason] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  if (meeting.myRsvp === null || meeting.status === 'closed') {
    return null;
  }
  async function send(rsvp: 'attending' | 'absent') {
    try {
      setError(null);
      await endpoints.rsvp(meeting.id, rsvp, rsvp === 'absent' ? reason.trim() : undefined);
      setAskReason(false);
      onChanged();
    } catch (e) {
      setError(e);
    }
  }
  return (
    <div className="rsvp" role="group" aria-label={t('rsvp.label')}>
      <span className={`chip chip-rsvp-${meeting.myRsvp}`}>{t(`rsvp.${meeting.myRsvp}`)}</span>
      {meeting.myRsvp !== 'attending' && (
        <button type="button" className="btn btn-small" onClick={() => void send('attending')}>
          {t('rsvp.attend')}
        </button>
      )}
      {meeting.myRsvp !== 'absent' && !askReason && (
        <button type="button" className="btn btn-small btn-ghost" onClick={() => setAskReason(true)}>
          {t('rsvp.absent')}
        </button>
      )}
      {askReason && (
        <form
          className="rsvp-reason"
          onSubmit={(e) => {
            e.preventDefault();
            void send('absent');
          }}
        >
          <label className="field field-inline">
            <span>{t('rsvp.reason')}</span>
            <input value={reason} onChange={(e) => setReason(e.target.value)} required />
          </label>
          <button type="submit" className="btn btn-small" disabled={!reason.trim()}>
            {t('rsvp.sendAbsent')}
          </button>
        </form>
      )}
      <ErrorNote error={error} />
    </div>
  );
}

export function MeetingsScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const [meetings, setMeetings] = useState<MeetingSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    endpoints
      .meetings()
      .then((r) => {
        setMeetings(r.meetings);
        setError(null);
      })
      .catch(setError);
  }, []);
  useEffect(load, [load]);

  const now = Date.now();
  const upcoming = (meetings ?? []).filter((m) => m.status !== 'closed' && (m.status === 'in_progress' || Date.parse(m.startsAt) >= now - 12 * 3600_000));
  const past = (meetings ?? []).filter((m) => !upcoming.includes(m));

  function section(title: string, list: MeetingSummary[]) {
    return (
      <section className="meeting-section" aria-label={title}>
        <h2>{title}</h2>
        {list.length === 0 ? (
          <p className="muted">{t('meetings.none')}</p>
        ) : (
          <ul className="meeting-list">
            {list.map((m) => (
              <li key={m.id} className="meeting-card">
                <div className="meeting-card-main">
                  <div className="meeting-card-top">
                    <span className={`chip chip-status-${m.status}`}>{t(`status.${m.status}`)}</span>
                    {m.myRole && <span className="chip chip-muted">{t(`meetingRoles.${m.myRole}`)}</span>}
                  </div>
                  <h3>
                    <a
                      href={`/meetings/${m.id}`}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate(`/meetings/${m.id}`);
                      }}
                    >
                      {m.title}
                    </a>
                  </h3>
                  <dl className="meeting-facts">
                    <div>
                      <dt>{t('meetings.when')}</dt>
                      <dd>{f.dateTime(m.startsAt)}</dd>
                    </div>
                    <div>
                      <dt>{t('meetings.where')}</dt>
                      <dd>{m.location || '—'}</dd>
                    </div>
                  </dl>
                  <RsvpControl meeting={m} onChanged={load} />
                </div>
                <div className="meeting-card-side">
                  <PackageSync meetingId={m.id} />
                  <button type="button" className="btn btn-primary" onClick={() => navigate(`/meetings/${m.id}`)}>
                    {t('meetings.open')}
                  </button>
                  {(m.myRole === 'chair' || m.myRole === 'secretary') && (
                    <button type="button" className="btn" onClick={() => navigate(`/meetings/${m.id}/chair`)}>
                      {t('meetings.console')}
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    );
  }

  return (
    <main className="page" id="main">
      <h1>{t('meetings.title')}</h1>
      <ErrorNote error={error} />
      {meetings === null && !error && <p className="muted">{t('common.loading')}</p>}
      {meetings && section(t('meetings.upcoming'), upcoming)}
      {meetings && past.length > 0 && section(t('meetings.past'), past)}
    </main>
  );
}
