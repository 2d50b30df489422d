import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserWindow } from 'electron';
import { app, dialog, ipcMain, Notification, protocol, safeStorage, session, shell } from 'electron';
import { ipcEvents } from '../../shared/ipc';
import { APP_SCHEME } from './app-origin';
import { registerHandlers } from './ipc/handlers';
import { createIpcRegistrar } from './ipc/registrar';
import { logWarn } from './log';
import { createAppProtocolHandler } from './protocol/app-protocol';
import { buildCsp } from './security/csp';
import { hardenSession } from './security/harden-session';
import { hardenWebContents } from './security/harden-contents';
import { createSafeOpenExternal } from './security/open-external';
import { DocumentCache } from './services/document-cache';
import { createNotifier } from './services/notifications';
import { PackageSync } from './services/package-sync';
import { Vault } from './services/vault';
import { electronStoreBackend } from './settings/electron-store-backend';
import { createSettingsService } from './settings/settings-service';
import { createMainWindow } from './window/main-window';

// Wiring only (docs/architecture.md): every decision lives in a module that is tested on its own.
const here = fileURLToPath(new URL('.', import.meta.url));
const rendererRoot = join(here, '../renderer');
const preload = join(here, '../preload/index.cjs');

// Checklist 18: app:// is a standard, secure scheme so the renderer gets a real origin.
protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
  },
]);
// Checklist 4: sandbox every renderer, including any a library might create.
app.enableSandbox();
// A separate profile for tests and side-by-side installs (must be set before 'ready').
if (process.env.ECAB_USER_DATA) {
  app.setPath('userData', process.env.ECAB_USER_DATA);
}

let mainWindow: BrowserWindow | null = null;

async function start(): Promise<void> {
  const settings = createSettingsService(electronStoreBackend(), { serverUrlOverride: process.env.ECAB_SERVER_URL });
  const openExternal = createSafeOpenExternal((url) => shell.openExternal(url));

  session.defaultSession.protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler(rendererRoot, () => buildCsp(settings.get().serverUrl)),
  );
  hardenSession(session.defaultSession);

  const userData = app.getPath('userData');
  const cache = await DocumentCache.open({ dir: join(userData, 'offline'), safeStorage });
  const send = (channel: string, payload: unknown) => mainWindow?.webContents.send(channel, payload);
  const packages = new PackageSync({
    cache,
    serverUrl: () => settings.get().serverUrl,
    retentionDays: () => settings.get().cache.retentionDays,
    onProgress: (p) => send(ipcEvents.syncProgress, p),
  });
  const notifier = createNotifier({
    show: ({ title, body }) => {
      if (Notification.isSupported()) {
        new Notification({ title, body, silent: false }).show();
      }
    },
    language: () => settings.get().language,
    windowFocused: () => mainWindow?.isFocused() === true,
  });

  registerHandlers(
    createIpcRegistrar(ipcMain, (channel, err) => logWarn(`IPC ${channel} failed`, err)),
    {
      settings,
      cache,
      packages,
      notes: cache.notesStore(join(userData, 'offline', 'notes')),
      vault: new Vault({ file: join(userData, 'vault.json'), safeStorage }),
      notifier,
      openExternal,
      sendDocumentProgress: (p) => send(ipcEvents.documentProgress, p),
    },
  );

  // Retention: closed meetings' documents leave the device after the configured period.
  const purge = () => packages.purgeExpired().catch((err: unknown) => logWarn('retention purge failed', err));
  void purge();
  setInterval(() => void purge(), 60 * 60 * 1000).unref();

  mainWindow = createMainWindow({ preload, settings });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

if (!app.requestSingleInstanceLock()) {
  // Single-instance lock: a second launch focuses the first window instead of opening another copy.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) {
        mainWindow.restore();
      }
      mainWindow.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(
      contents,
      createSafeOpenExternal((url) => shell.openExternal(url)),
      (what, url) => logWarn(`blocked ${what}`, url),
    );
  });
  app.on('window-all-closed', () => app.quit());
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      // E.g. no OS key store: say so plainly instead of running without protection for the documents.
      logWarn('startup failed', err);
      dialog.showErrorBox(
        'E-Cabinet',
        err instanceof Error ? err.message : 'The desktop client could not start.',
      );
      app.exit(1);
    });
}
