import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { configureApi } from './api/http';
import { initI18n, isLanguage } from './i18n';
import { platform } from './platform';
import './styles.css';

async function boot(): Promise<void> {
  const [lang, server] = await Promise.all([platform.settings.get('language'), platform.serverUrl()]);
  initI18n(isLanguage(lang) ? lang : 'vi');
  configureApi({ base: server });
  const root = document.getElementById('root');
  if (!root) {
    throw new Error('#root missing');
  }
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

void boot();
