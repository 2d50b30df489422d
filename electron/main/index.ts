import { rm } from 'node:fs/promises';
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
import { createDeviceAccess } from './services/device-store';
import { DocumentCache } from './services/document-cache';
import { DesktopSession } from './services/desktop-session';
import { createNotifier } from './services/notifications';
import { PackageSync } from './services/package-sync';
import { PassphraseKeyStore } from './services/passphrase-key-store';
import { keyStoreWeakness, type SafeStorageLike } from './services/safe-storage';
import { confirmationText, type ConfirmSignature } from './services/signature-confirm';
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

/** Electron's safeStorage; the backend name exists on Linux only (elsewhere the OS store is always real). */
function osSafeStorage(): SafeStorageLike {
  return {
    isEncryptionAvailable: () => safeStorage.isEncryptionAvailable(),
    encryptString: (s) => safeStorage.encryptString(s),
    decryptString: (b) => safeStorage.decryptString(b),
    ...(process.platform === 'linux' ? { getSelectedStorageBackend: () => safeStorage.getSelectedStorageBackend() } : {}),
  };
}

async function start(): Promise<void> {
  const settings = createSettingsService(electronStoreBackend(), { serverUrlOverride: process.env.ECAB_SERVER_URL });

  session.defaultSession.protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler(rendererRoot, () => buildCsp(settings.get().serverUrl)),
  );
  hardenSession(session.defaultSession);

  const userData = app.getPath('userData');
  const send = (channel: string, payload: unknown) => mainWindow?.webContents.send(channel, payload);
  const desktopSession = new DesktopSession({ settings });

  // Where the OS key store protects nothing (Linux without libsecret/KWallet: 'basic_text'), documents
  // and keys are wrapped with a passphrase-derived key instead, kept in their own folder. Whatever the
  // weak store wrapped before is as good as plaintext: it is deleted, not migrated.
  const weakness = keyStoreWeakness(osSafeStorage());
  const weak = weakness !== null;
  const passphrase = weak ? await PassphraseKeyStore.open(join(userData, 'protected', 'passphrase.json')) : null;
  const keyStore = passphrase ?? osSafeStorage();
  const dataDir = weak ? join(userData, 'protected') : userData;
  if (weakness === 'weak') {
    await rm(join(userData, 'offline'), { recursive: true, force: true });
    await rm(join(userData, 'vault.json'), { force: true });
  }
  const device = await createDeviceAccess({
    passphrase,
    open: async () => {
      const cache = await DocumentCache.open({ dir: join(dataDir, 'offline'), safeStorage: keyStore });
      const packages = new PackageSync({
        cache,
        serverUrl: () => settings.get().serverUrl,
        retentionDays: () => settings.get().cache.retentionDays,
        onProgress: (p) => send(ipcEvents.syncProgress, p),
        onUnauthenticated: () => desktopSession.signOut(),
      });
      return { cache, packages, notes: cache.notesStore(join(dataDir, 'offline', 'notes')) };
    },
    onOpened: ({ packages }) => {
      // Retention and revocations also reach meetings nobody has open: at start and every hour.
      const housekeeping = async () => {
        await packages.purgeExpired();
        const s = desktopSession.get();
        if (s) {
          await packages.syncHeld(s);
        }
      };
      const run = () => void housekeeping().catch((err: unknown) => logWarn('offline housekeeping failed', err));
      run();
      setInterval(run, 60 * 60 * 1000).unref();
    },
  });
  // Every signature is approved in a native dialog the page can neither answer nor draw over.
  const confirmSignature: ConfirmSignature = async (request) => {
    const text = confirmationText(request, settings.get().language);
    const options = {
      type: 'question' as const,
      title: text.title,
      message: text.message,
      detail: text.detail,
      buttons: [text.sign, text.cancel],
      defaultId: 1,
      cancelId: 1,
      noLink: true,
    };
    const answer = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
    return answer.response === 0;
  };
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
      session: desktopSession,
      device,
      vault: new Vault({ file: join(dataDir, 'vault.json'), safeStorage: keyStore }),
      notifier,
      confirmSignature,
    },
  );

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
