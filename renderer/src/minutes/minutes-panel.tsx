import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentMeta } from '../../../shared/api/documents';
import type { MeetingRole } from '../../../shared/roles';
import { minutesSignRefusal, type MinutesEntry } from '../../../shared/signatures/minutes';
import { ErrorNote } from '../components/error-note';
import { useFormat } from '../i18n/format';
import { platform } from '../platform';
import { signaturesApi } from '../signatures/api';
import { SignatureBadge } from '../signatures/signature-badge';
import { subjectField } from '../signatures/badge-state';
import { SigningSetup } from '../signing/signing-setup';
import { pinReady, TokenPinField } from '../signing/token-pin-field';
import { useSigningSource } from '../signing/use-signing-source';
import { signDocumentBox } from './sign-minutes';
import { ConclusionNoticePanel } from './conclusion-notice';

interface Props {
  readonly meetingId: string;
  readonly status: string;
  readonly myRole: MeetingRole | null;
  readonly onOpen: (d: DocumentMeta) => void;
  /** The meeting's documents changed (new minutes, new signed revision). */
  readonly onChanged: () => void;
}

/**
 * Minutes for the chair and the secretary: generate them for a closed meeting
 * (Vietnamese, or English on request), read them, and sign in order — the chair, then the secretary
 * for the organization. Signing needs the desktop app's certificate vault; a browser has no key and
 * says so instead of pretending.
 */
export function MinutesPanel({ meetingId, status, myRole, onOpen, onChanged }: Props) {
  const { t } = useTranslation();
  const f = useFormat();
  const headingId = useId();
  const noteId = useId();
  const [minutes, setMinutes] = useState<MinutesEntry[] | null>(null);
  const [lang, setLang] = useState<'vi' | 'en'>('vi');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [canSign, setCanSign] = useState(false);
  const [keyVersion, setKeyVersion] = useState(0);
  const needsPin = useSigningSource(platform.signing, keyVersion) === 'pkcs11';
  const [pin, setPin] = useState('');

  const reload = useCallback(() => {
    signaturesApi
      .minutes(meetingId)
      .then((r) => setMinutes(r.minutes))
      .catch(setError);
  }, [meetingId]);

  useEffect(() => {
    reload();
    void platform.signing.available().then(setCanSign);
  }, [reload]);

  async function generate() {
    setBusy('generate');
    setError(null);
    setMessage(null);
    try {
      const made = await signaturesApi.generateMinutes(meetingId, lang);
      setMessage(t(made.replaced ? 'minutes.regenerated' : 'minutes.generated', { version: made.version }));
      reload();
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  async function sign(m: MinutesEntry, field: string) {
    setBusy(`${m.document.id}:${field}`);
    setError(null);
    setMessage(null);
    try {
      const r = await signDocumentBox(platform.signing, signaturesApi, m.document.id, field, m.lang, needsPin ? pin : undefined);
      setPin('');
      if (r.ok) {
        setMessage(t('minutes.signed'));
        reload();
        onChanged();
      } else {
        const other = t('minutes.signError.other', { message: r.error.message });
        setMessage(t(r.error.code.startsWith('TOKEN_') ? `signingKey.errors.${r.error.code}` : `minutes.signError.${r.error.code}`, { defaultValue: other }));
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  const closed = status === 'closed';
  return (
    <section className="panel minutes-panel" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('minutes.title')}</h3>
      {closed ? (
        <div className="minutes-generate">
          <label className="field minutes-lang">
            <span>{t('minutes.language')}</span>
            <select value={lang} onChange={(e) => setLang(e.target.value === 'en' ? 'en' : 'vi')}>
              <option value="vi">Tiếng Việt</option>
              <option value="en">English</option>
            </select>
          </label>
          <button type="button" className="btn btn-primary" disabled={busy !== null} onClick={() => void generate()}>
            {t('minutes.generate')}
          </button>
        </div>
      ) : (
        <p className="muted">{t('minutes.afterClose')}</p>
      )}
      {!canSign && (
        <p id={noteId} className="minutes-note" role="note">
          {t(platform.kind === 'web' ? 'minutes.needsDesktop' : 'minutes.noCertificate')}
        </p>
      )}
      {!canSign && (
        <SigningSetup
          onReady={(info) => {
            setCanSign(true);
            setKeyVersion((v) => v + 1);
            setMessage(t('minutes.certImported', { subject: info.subject }));
          }}
        />
      )}
      {canSign && needsPin && ((minutes ?? []).some((m) => m.next) || (closed && myRole === 'chair')) && <TokenPinField value={pin} onChange={setPin} disabled={busy !== null} />}
      <p role="status" aria-live="polite" className="minutes-status">
        {message}
      </p>
      <ErrorNote error={error} />
      {minutes && minutes.length === 0 && closed && <p className="muted">{t('minutes.none')}</p>}
      <ul className="minutes-list">
        {(minutes ?? []).map((m) => {
          const signed = m.slots.filter((s) => s.signedBy !== null).map((s) => s.fieldName);
          const mine = m.next && minutesSignRefusal(m.next, myRole, signed) === null ? m.next : null;
          return (
            <li key={m.document.id} className="minutes-item">
              <div className="minutes-item-head">
                <button type="button" className="linkish" onClick={() => onOpen(m.document)} aria-label={t('room.openDocument', { name: m.document.name })}>
                  {m.document.name}
                </button>
                <SignatureBadge documentId={m.document.id} sha256={m.document.sha256} name={m.document.name} />
                <span className="chip">{t('minutes.version', { version: m.version })}</span>
                {m.draft && <span className="chip chip-warn">{t('minutes.draft')}</span>}
                <span className="chip">{m.complete ? t('minutes.complete') : t('minutes.awaiting')}</span>
              </div>
              <ol className="minutes-slots" aria-label={t('minutes.order')}>
                {m.slots.map((s) => (
                  <li key={s.fieldName}>
                    <strong>{t(`minutes.role.${s.role}`)}</strong>:{' '}
                    {s.signedBy ? t('minutes.signedBy', { name: subjectField(s.signedBy, 'CN') ?? s.signedBy, time: s.signedAt ? f.dateTime(s.signedAt) : '' }) : t('minutes.notSigned')}
                  </li>
                ))}
              </ol>
              {mine && (
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={!canSign || busy !== null || (needsPin && !pinReady(pin))}
                  aria-describedby={canSign ? undefined : noteId}
                  onClick={() => void sign(m, mine)}
                >
                  {t(`minutes.signAs.${myRole === 'chair' ? 'chair' : 'secretary'}`)}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <ConclusionNoticePanel meetingId={meetingId} status={status} myRole={myRole} canSign={canSign && (!needsPin || pinReady(pin))} pin={needsPin ? pin : undefined} lang={lang} onOpen={onOpen} onChanged={onChanged} />
    </section>
  );
}
