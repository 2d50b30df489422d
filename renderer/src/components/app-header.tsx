import { useTranslation } from 'react-i18next';
import { useConnection } from '../connection';
import { useSession } from '../session';
import { navigate } from '../router';
import { endpoints } from '../api/endpoints';
import { LanguageSwitch } from './language-switch';

/** Top bar on every signed-in screen: app name, connection state, who is signed in, language, sign out. */
export function AppHeader() {
  const { t } = useTranslation();
  const { state } = useConnection();
  const { session, signOut } = useSession();
  const canPrepare = session && (session.user.role === 'secretary' || session.user.role === 'admin');
  return (
    <header className="app-header">
      <a
        className="brand"
        href="/"
        onClick={(e) => {
          e.preventDefault();
          navigate('/');
        }}
      >
        <span className="brand-mark" aria-hidden="true">
          ◆
        </span>
        <span>{t('app.name')}</span>
      </a>
      <nav aria-label={t('nav.main')} className="main-nav">
        <a
          href="/"
          onClick={(e) => {
            e.preventDefault();
            navigate('/');
          }}
        >
          {t('nav.meetings')}
        </a>
        <a
          href="/consultations"
          onClick={(e) => {
            e.preventDefault();
            navigate('/consultations');
          }}
        >
          {t('nav.consultations')}
        </a>
        <a
          href="/tasks"
          onClick={(e) => {
            e.preventDefault();
            navigate('/tasks');
          }}
        >
          {t('nav.tasks')}
        </a>
        {canPrepare && (
          <a
            href="/secretariat"
            onClick={(e) => {
              e.preventDefault();
              navigate('/secretariat');
            }}
          >
            {t('nav.secretariat')}
          </a>
        )}
      </nav>
      <div className="header-right">
        <span className={`conn conn-${state}`} role="status" aria-live="polite">
          <span className="conn-dot" aria-hidden="true" />
          <span className="conn-label">{t(`connection.${state}`)}</span>
        </span>
        {session && (
          <span className="who" title={session.user.username}>
            <span className="visually-hidden">{t('header.signedInAs')} </span>
            <strong>{session.user.displayName}</strong>
            <span className="who-role">{t(`roles.${session.user.role}`)}</span>
          </span>
        )}
        <LanguageSwitch />
        {session && (
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              void endpoints.logout().catch(() => undefined);
              signOut();
              navigate('/login', { replace: true });
            }}
          >
            {t('header.signOut')}
          </button>
        )}
      </div>
    </header>
  );
}
