import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InvitationsView, SendInvitationsResponse } from '../../../shared/api/invitations';
import { consultEndpoints } from '../api/consult-endpoints';
import { ErrorNote } from '../components/error-note';
import { useFormat } from '../i18n/format';

/** Send the signed invitation (giấy mời) by email; shows the notice-period warning before and after. */
export function InvitationsPanel({ meetingId }: Readonly<{ meetingId: string }>) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const [view, setView] = useState<InvitationsView | null>(null);
  const [result, setResult] = useState<SendInvitationsResponse | null>(null);
  const [extraordinary, setExtraordinary] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    consultEndpoints.invitations(meetingId).then(setView).catch(setError);
  }, [meetingId]);
  useEffect(load, [load]);
  const short = view?.notice.short && !extraordinary;
  return (
    <section className="panel" aria-labelledby="inv-h">
      <h2 id="inv-h">{t('invitations.title')}</h2>
      {view && short && (
        <p className="form-error" role="alert" data-testid="notice-warning">
          {t('invitations.shortNotice', { days: view.notice.workingDays, required: view.notice.required })}
        </p>
      )}
      <label className="row">
        <input type="checkbox" checked={extraordinary} onChange={(e) => setExtraordinary(e.target.checked)} />
        <span>{t('invitations.extraordinary')}</span>
      </label>
      <button
        type="button"
        className="btn btn-primary"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          setError(null);
          consultEndpoints
            .sendInvitations(meetingId, extraordinary, i18n.language === 'en' ? 'en' : 'vi')
            .then((r) => {
              setResult(r);
              load();
            })
            .catch(setError)
            .finally(() => setBusy(false));
        }}
      >
        {busy ? t('invitations.sending') : t('invitations.send')}
      </button>
      <ErrorNote error={error} />
      {result && (
        <div role="status">
          <p>{t('invitations.sent', { count: result.invitation.deliveries.filter((d) => d.status === 'sent' || d.status === 'logged').length })}</p>
          {result.warnings.map((w) => (
            <p key={w.code} className="form-error">
              {t(`invitations.warning.${w.code}`, { days: result.invitation.workingDays })}
            </p>
          ))}
        </div>
      )}
      {view && view.invitations.length > 0 && (
        <ul className="plain-list">
          {view.invitations.map((inv) => (
            <li key={inv.id}>
              <span>
                {f.dateTime(inv.sentAt)} · {inv.signed ? t('invitations.signed') : t('invitations.unsigned')}
              </span>
              <span className="muted small">
                {inv.deliveries.map((d) => `${d.displayName}: ${t(`invitations.delivery.${d.status}`)}`).join(' · ')}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
