import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RsvpLinkView } from '../../../shared/api/invitations';
import { consultEndpoints } from '../api/consult-endpoints';
import { ErrorNote } from '../components/error-note';
import { LanguageSwitch } from '../components/language-switch';
import { useFormat } from '../i18n/format';

/**
 * The page an invitation's RSVP link opens (`/rsvp#<token>`): answers that one invitation without
 * signing in. The token stays in the fragment, so it never reaches a server log.
 */
export function RsvpLinkScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const token = window.location.hash.replace(/^#/, '');
  const [view, setView] = useState<RsvpLinkView | null>(null);
  const [absent, setAbsent] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [reasonMissing, setReasonMissing] = useState(false);
  useEffect(() => {
    consultEndpoints.rsvpLinkView(token).then(setView).catch(setError);
  }, [token]);
  const answer = (p: ReturnType<typeof consultEndpoints.rsvpLinkAnswer>) => {
    setError(null);
    p.then((v) => {
      setView(v);
      setSaved(true);
    }).catch(setError);
  };
  return (
    <main className="page" id="main">
      <div className="row">
        <LanguageSwitch />
      </div>
      <h1>{t('rsvpLink.title')}</h1>
      <ErrorNote error={error} />
      {view && (
        <section className="panel">
          <h2>{view.meeting.title}</h2>
          <p>
            {f.dateTime(view.meeting.startsAt)} · {view.meeting.location}
          </p>
          <p>{t('rsvpLink.for', { name: view.member.displayName })}</p>
          <p data-testid="rsvp-state">{t(`rsvpLink.state.${view.member.rsvp}`)}</p>
          {saved && <p role="status">{t('rsvpLink.saved')}</p>}
          <div className="row">
            <button type="button" className="btn btn-primary" onClick={() => answer(consultEndpoints.rsvpLinkAnswer({ token, rsvp: 'attending' }))}>
              {t('rsvpLink.attend')}
            </button>
            <button type="button" className="btn" onClick={() => setAbsent(true)}>
              {t('rsvpLink.absent')}
            </button>
          </div>
          {absent && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (reason.trim().length === 0) {
                  setReasonMissing(true);
                  return;
                }
                setReasonMissing(false);
                answer(consultEndpoints.rsvpLinkAnswer({ token, rsvp: 'absent', reason }));
              }}
            >
              <label>
                {t('rsvpLink.reason')}
                <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
              </label>
              <p className="muted small">{t('rsvpLink.reasonLimit')}</p>
              {reasonMissing && (
                <p className="form-error" role="alert">
                  {t('rsvpLink.reasonRequired')}
                </p>
              )}
              <button type="submit" className="btn">
                {t('rsvpLink.sendAbsent')}
              </button>
            </form>
          )}
          <p className="muted small">{t('rsvpLink.notLogin', { when: f.dateTime(view.expiresAt) })}</p>
        </section>
      )}
    </main>
  );
}
