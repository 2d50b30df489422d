import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { configureApi } from './api/http';
import { initI18n, isLanguage } from './i18n';
import { platform } from './platform';
import './styles.css';

async function boot(): Promise<void> {
  const [lang, server, hostSession] = await Promise.all([
    platform.settings.get('language'),
    platform.serverUrl(),
    platform.session?.current() ?? Promise.resolve(undefined),
  ]);
  initI18n(isLanguage(lang) ? lang : 'vi');
  configureApi({ base: server });
  // On the desktop the main process's session is the truth (it signed in; a reload keeps it).
  const initialSession = hostSession === undefined ? undefined : hostSession && { token: hostSession.token, user: hostSession.user };
  const root = document.getElementById('root');
  if (!root) {
    throw new Error('#root missing');
  }
  createRoot(root).render(
    <StrictMode>
      <App initialSession={initialSession} />
    </StrictMode>,
  );
}

void boot();
