import type { WebPreferences } from 'electron';

/**
 * The only webPreferences any window of ours gets (Checklists 2–4, 6, 8, 9). Kept in one pure function
 * so a test pins every flag and no window can be created with weaker settings.
 */
export function secureWebPreferences(preload: string, o: Readonly<{ devTools?: boolean }> = {}): WebPreferences {
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
    devTools: o.devTools === true,
  };
}

/**
 * DevTools give whoever sits at the keyboard the page's full power (its token, every IPC channel), so a
 * packaged build never opens them, whatever the environment says; a development run opts in with
 * ECAB_DEVTOOLS=1.
 */
export function devToolsAllowed(packaged: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  return !packaged && env.ECAB_DEVTOOLS === '1';
}
