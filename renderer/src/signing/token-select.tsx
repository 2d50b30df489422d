import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CertificateInfo, TokenCertificateEntry } from '../../../shared/ipc';
import { platform } from '../platform';

/** The desktop setting that remembers the token driver between sessions. */
export const MODULE_SETTING = 'signing.pkcs11Module';

/**
 * Desktop only: sign with a certificate on a USB token (PKCS#11), as officials in Vietnam do. The
 * user names the token driver the CA ships (a .so/.dll file), picks one of the certificates the
 * plugged-in tokens hold, and the vault remembers which one; the private key never leaves the token,
 * and every signature asks for the token's PIN.
 */
export function TokenSelect({ onSelected }: Readonly<{ onSelected: (info: CertificateInfo) => void }>) {
  const { t } = useTranslation();
  const moduleId = useId();
  const listId = useId();
  const [module, setModule] = useState('');
  const [found, setFound] = useState<TokenCertificateEntry[] | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const signing = platform.signing;

  useEffect(() => {
    void platform.settings.get(MODULE_SETTING).then((m) => {
      if (m) {
        setModule((cur) => cur || m);
      }
    });
  }, []);

  if (!signing.tokenCertificates || !signing.useToken) {
    return null;
  }
  const key = (c: TokenCertificateEntry) => `${c.tokenSerial}/${c.id}`;
  const errorText = (code: string, message: string) => t(`signingKey.errors.${code}`, { defaultValue: t('signingKey.errors.other', { message }) });

  async function search(e: FormEvent) {
    e.preventDefault();
    if (!signing.tokenCertificates) {
      return;
    }
    setBusy(true);
    setError(null);
    setFound(null);
    const r = await signing.tokenCertificates(module.trim());
    setBusy(false);
    if (!r.ok) {
      setError(errorText(r.error.code, r.error.message));
      return;
    }
    await platform.settings.set(MODULE_SETTING, module.trim());
    setFound(r.value);
    setPicked(r.value.length === 1 && r.value[0] ? key(r.value[0]) : null);
  }

  async function use() {
    const c = found?.find((x) => key(x) === picked);
    if (!c || !signing.useToken) {
      return;
    }
    setBusy(true);
    setError(null);
    const r = await signing.useToken(module.trim(), c.tokenSerial, c.id);
    setBusy(false);
    if (r.ok) {
      onSelected(r.value);
    } else {
      setError(errorText(r.error.code, r.error.message));
    }
  }

  return (
    <section className="token-select" aria-labelledby={listId}>
      <h4 id={listId}>{t('signingKey.tokenTitle')}</h4>
      <form onSubmit={(e) => void search(e)} noValidate>
        <label className="field" htmlFor={moduleId}>
          <span>{t('signingKey.module')}</span>
          <input id={moduleId} value={module} onChange={(e) => setModule(e.target.value)} placeholder="/usr/lib/softhsm/libsofthsm2.so" spellCheck={false} />
        </label>
        <button type="submit" className="btn" disabled={busy || module.trim() === ''}>
          {t('signingKey.findCertificates')}
        </button>
      </form>
      {found && found.length === 0 && <p className="muted">{t('signingKey.noneOnToken')}</p>}
      {found && found.length > 0 && (
        <fieldset className="token-certs">
          <legend>{t('signingKey.pick')}</legend>
          {found.map((c) => (
            <label key={key(c)} className="token-cert">
              <input type="radio" name={`${listId}-cert`} checked={picked === key(c)} onChange={() => setPicked(key(c))} />
              <span>
                <strong>{c.certificate.subject}</strong>
                <br />
                <span className="muted small">
                  {t('signingKey.onToken', { token: c.tokenLabel, issuer: c.certificate.issuer, until: c.certificate.notAfter.slice(0, 10) })}
                </span>
              </span>
            </label>
          ))}
          <button type="button" className="btn btn-primary" disabled={busy || picked === null} onClick={() => void use()}>
            {t('signingKey.use')}
          </button>
        </fieldset>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
