import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeyStoreStatus } from '../../../shared/ipc';
import { platform } from '../platform';
import { LanguageSwitch } from './language-switch';

const MIN = 12;

/**
 * Desktop only. Where the operating system's key store protects nothing (Linux without libsecret or
 * KWallet), the main process keeps documents, notes and signing keys under a passphrase instead and
 * refuses them until it is given; this screen says so and asks for it (set once, then at each start).
 */
export function KeyStoreGate({ children }: Readonly<{ children: ReactNode }>) {
  const { t } = useTranslation();
  const keyStore = platform.keyStore;
  const [status, setStatus] = useState<KeyStoreStatus | null>(keyStore ? null : { protection: 'os', state: 'ready' });
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();

  useEffect(() => {
    void keyStore?.status().then(setStatus);
  }, [keyStore]);

  if (!keyStore || status?.state === 'ready') {
    return <>{children}</>;
  }
  if (!status) {
    return null;
  }
  const creating = status.state === 'new';

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!keyStore) {
      return;
    }
    if (creating && [...passphrase].length < MIN) {
      setError(t('keyStore.errors.tooShort', { min: MIN }));
      return;
    }
    if (creating && passphrase !== repeat) {
      setError(t('keyStore.errors.mismatch'));
      return;
    }
    setBusy(true);
    setError(null);
    const r = await keyStore.unlock(passphrase);
    setBusy(false);
    if (r.ok) {
      setPassphrase('');
      setRepeat('');
      setStatus(r.value);
      return;
    }
    const code = r.error.code;
    setError(
      code === 'PASSPHRASE_WRONG'
        ? t('keyStore.errors.wrong')
        : code === 'PASSPHRASE_TOO_SHORT'
          ? t('keyStore.errors.tooShort', { min: MIN })
          : t('keyStore.errors.unknown'),
    );
  }

  return (
    <main className="login-page">
      <div className="login-lang">
        <LanguageSwitch />
      </div>
      <section className="login-card" aria-labelledby="keystore-title">
        <h1 id="keystore-title">{t(creating ? 'keyStore.titleNew' : 'keyStore.titleLocked')}</h1>
        <p>{t('keyStore.why')}</p>
        <form onSubmit={(e) => void submit(e)} noValidate aria-describedby={error ? errorId : undefined}>
          <label className="field">
            <span>{t('keyStore.passphrase')}</span>
            <input type="password" autoComplete={creating ? 'new-password' : 'current-password'} value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoFocus required />
            {creating && <span className="muted small">{t('keyStore.hint', { min: MIN })}</span>}
          </label>
          {creating && (
            <label className="field">
              <span>{t('keyStore.repeat')}</span>
              <input type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required />
            </label>
          )}
          {error && (
            <p className="form-error" role="alert" id={errorId}>
              {error}
            </p>
          )}
          <button type="submit" className="btn btn-primary btn-block" disabled={busy || !passphrase}>
            {busy ? t('keyStore.working') : t(creating ? 'keyStore.set' : 'keyStore.unlock')}
          </button>
        </form>
      </section>
    </main>
  );
}
