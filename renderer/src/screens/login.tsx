import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, configureApi } from '../api/http';
import { endpoints } from '../api/endpoints';
import { LanguageSwitch } from '../components/language-switch';
import { platform } from '../platform';
import type { Session } from '../session';

/** Maps a failed sign-in to a message a delegate understands (clear errors). */
export function loginErrorKey(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'UNREACHABLE') {
      return 'login.errors.unreachable';
    }
    if (err.code === 'INSECURE_SERVER') {
      return 'login.errors.insecureServer';
    }
    if (err.status === 401 || err.code === 'INVALID_CREDENTIALS') {
      return 'login.errors.invalid';
    }
    if (err.status === 423 || err.code === 'ACCOUNT_LOCKED') {
      return 'login.errors.locked';
    }
    if (err.status === 429 || err.code === 'RATE_LIMITED') {
      return 'login.errors.rateLimited';
    }
    if (err.status === 400 || err.code === 'VALIDATION_ERROR') {
      return 'login.errors.invalid';
    }
  }
  return 'login.errors.unknown';
}

export function LoginScreen({ onSignedIn }: Readonly<{ onSignedIn: (s: Session) => void }>) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [server, setServer] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  const desktop = platform.kind === 'electron';

  useEffect(() => {
    if (desktop) {
      void platform.serverUrl().then((u) => setServer(u ?? ''));
    }
  }, [desktop]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (platform.session) {
        // The desktop main process signs in itself (it keys documents and notes by the user the
        // server names) and saves the server only once the sign-in worked.
        const r = await platform.session.signIn(server.trim(), username.trim(), password);
        if (!r.ok) {
          throw new ApiError(0, r.error.code, r.error.message);
        }
        configureApi({ base: r.value.serverUrl });
        onSignedIn({ token: r.value.token, user: r.value.user });
        return;
      }
      const res = await endpoints.login({ username: username.trim(), password });
      onSignedIn({ token: res.token, user: res.user });
    } catch (err) {
      setError(loginErrorKey(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login-page">
      <div className="login-lang">
        <LanguageSwitch />
      </div>
      <section className="login-card" aria-labelledby="login-title">
        <div className="login-emblem" aria-hidden="true">
          ◆
        </div>
        <h1 id="login-title">{t('app.name')}</h1>
        <p className="login-sub">{t('login.subtitle')}</p>
        <form onSubmit={(e) => void submit(e)} noValidate aria-describedby={error ? errorId : undefined}>
          {desktop && (
            <label className="field">
              <span>{t('login.server')}</span>
              <input type="url" value={server} onChange={(e) => setServer(e.target.value)} placeholder="https://192.168.1.10:4100" />
            </label>
          )}
          <label className="field">
            <span>{t('login.username')}</span>
            <input
              name="username"
              autoComplete="username"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              required
              autoFocus
            />
          </label>
          <label className="field">
            <span>{t('login.password')}</span>
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          </label>
          {error && (
            <p className="form-error" role="alert" id={errorId}>
              {t(error)}
            </p>
          )}
          <button type="submit" className="btn btn-primary btn-block" disabled={busy || !username || !password}>
            {busy ? t('login.signingIn') : t('login.submit')}
          </button>
        </form>
      </section>
      <p className="login-foot">{t('login.footer')}</p>
    </main>
  );
}
