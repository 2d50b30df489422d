import type { WebPreferences } from 'electron';

/**
 * The only webPreferences any window of ours gets (Checklists 2–4, 6, 8, 9). Kept in one pure function
 * so a test pins every flag and no window can be created with weaker settings.
 */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: process.env.ECAB_DEVTOOLS === '1',
  };
}
