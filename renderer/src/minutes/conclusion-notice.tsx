import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConclusionNoticeState, NoticeDeliveryList } from '../../../shared/api/conclusion-notice';
import type { DocumentMeta } from '../../../shared/api/documents';
import type { MeetingRole } from '../../../shared/roles';
import { noticeEndpoints } from '../api/notice-endpoints';
import { ErrorNote } from '../components/error-note';
import { useFormat } from '../i18n/format';
import { platform } from '../platform';
import { signaturesApi } from '../signatures/api';
import { signDocumentBox } from './sign-minutes';

interface Props {
  readonly meetingId: string;
  readonly status: string;
  readonly myRole: MeetingRole | null;
  /** The desktop vault (or token) can sign; `pin` is the token's PIN when one is needed. */
  readonly canSign: boolean;
  readonly pin: string | undefined;
  readonly lang: 'vi' | 'en';
  readonly onOpen: (d: DocumentMeta) => void;
  readonly onChanged: () => void;
}

/**
 * The conclusion notice for the staff: its deadline (5 working days after the meeting) and overdue
 * flag, then generate → the chair signs its box (same path as the minutes) → send to the members.
 */
export function ConclusionNoticePanel({ meetingId, status, myRole, canSign, pin, lang, onOpen, onChanged }: Props) {
  const { t } = useTranslation();
  const f = useFormat();
  const headingId = useId();
  const [state, setState] = useState<ConclusionNoticeState | null>(null);
  const [deliveries, setDeliveries] = useState<NoticeDeliveryList | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);

  const closed = status === 'closed';
  const reload = useCallback(() => {
    // Nothing to issue (and no deadline) before the meeting is closed.
    if (closed) {
      noticeEndpoints.state(meetingId).then(setState, setError);
      noticeEndpoints.deliveries(meetingId).then(setDeliveries, setError);
    }
  }, [meetingId, closed]);
  useEffect(reload, [reload]);

  async function run(action: () => Promise<string>) {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      setMessage(await action());
      reload();
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const generate = () =>
    run(async () => {
      const made = await noticeEndpoints.generate(meetingId, lang);
      return made.supersedes ? t('notice.generatedVersion', { version: made.version }) : t('notice.generated');
    });
  const sign = (documentId: string) =>
    run(async () => {
      const r = await signDocumentBox(platform.signing, signaturesApi, documentId, 'ChuToa', state?.lang ?? lang, pin);
      return r.ok ? t('notice.signed') : t('minutes.signError.other', { message: r.error.message });
    });
  const send = (only: 'all' | 'failed') =>
    run(async () => {
      const r = await noticeEndpoints.send(meetingId, only);
      return r.failed > 0 ? t('notice.sentSome', { count: r.sent, failed: r.failed }) : t('notice.sent', { count: r.sent });
    });
  const failures = (deliveries?.documentId === state?.document?.id ? deliveries?.deliveries : [])?.filter((d) => !d.accepted) ?? [];

  if (!closed) {
    return null;
  }
  const doc = state?.document ?? null;
  return (
    <section className="panel notice-panel" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('notice.title')}</h3>
      {state?.deadline && (
        <p>
          {t('notice.deadline', { date: new Intl.DateTimeFormat(f.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${state.deadline}T00:00:00Z`)) })}{' '}
          {state.overdue && <span className="chip chip-overdue">{t('notice.overdue')}</span>}
        </p>
      )}
      {doc && (
        <p>
          <button type="button" className="linkish" onClick={() => onOpen(doc)} aria-label={t('room.openDocument', { name: doc.name })}>
            {doc.name}
          </button>{' '}
          {state?.version !== null && state?.version !== undefined && state.version > 1 && <span className="chip">{t('notice.version', { version: state.version })}</span>}{' '}
          <span className="chip">{state?.signed ? t('notice.isSigned') : t('minutes.awaiting')}</span>{' '}
          {state?.sentAt && <span className="chip">{t('notice.sentAt', { time: f.dateTime(state.sentAt) })}</span>}
        </p>
      )}
      {(state?.versions.length ?? 0) > 1 && (
        <ul className="plain-list" aria-label={t('notice.versions')}>
          {state?.versions.map((v) => (
            <li key={v.document.id}>
              <span>
                <button type="button" className="linkish" onClick={() => onOpen(v.document)} aria-label={t('room.openDocument', { name: v.document.name })}>
                  {t('notice.version', { version: v.version })}
                </button>{' '}
                {v.superseded && <span className="chip">{t('notice.superseded')}</span>}
              </span>
              <span className="muted small">{v.signedAt ? t('notice.signedOn', { time: f.dateTime(v.signedAt) }) : t('minutes.awaiting')}</span>
            </li>
          ))}
        </ul>
      )}
      <div className="minutes-generate">
        {/* A signed notice is frozen: generating again issues the next version and keeps the signed one. */}
        <button type="button" className="btn" disabled={busy} onClick={() => void generate()}>
          {state?.signed ? t('notice.newVersion') : t('notice.generate')}
        </button>
        {doc && !state?.signed && myRole === 'chair' && (
          <button type="button" className="btn btn-primary" disabled={busy || !canSign} onClick={() => void sign(doc.id)}>
            {t('minutes.signAs.chair')}
          </button>
        )}
        {state?.signed && (
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void send('all')}>
            {t('notice.send')}
          </button>
        )}
        {state?.signed && failures.length > 0 && (
          <button type="button" className="btn" disabled={busy} onClick={() => void send('failed')}>
            {t('notice.resendFailed', { count: failures.length })}
          </button>
        )}
      </div>
      {deliveries && deliveries.documentId === doc?.id && deliveries.deliveries.length > 0 && (
        <div className="table-wrap">
          <table className="members" aria-label={t('notice.deliveries')}>
            <thead>
              <tr>
                <th scope="col">{t('notice.recipient')}</th>
                <th scope="col">{t('notice.email')}</th>
                <th scope="col">{t('notice.attemptedAt')}</th>
                <th scope="col">{t('notice.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.deliveries.map((d) => (
                <tr key={d.userId}>
                  <td>{d.displayName}</td>
                  <td>{d.email}</td>
                  <td>
                    {f.dateTime(d.attemptedAt)}
                    {d.attempts > 1 && <span className="muted small"> ({t('notice.attempts', { count: d.attempts })})</span>}
                  </td>
                  <td>{d.accepted ? <span className="chip">{t('notice.accepted')}</span> : <span className="chip chip-overdue" title={d.error ?? undefined}>{t('notice.refused')}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p role="status" aria-live="polite">
        {message}
      </p>
      <ErrorNote error={error} />
    </section>
  );
}
