import { join } from 'node:path';
import { ipc } from '../../shared/ipc';
import { registerHandlers } from '../../electron/main/ipc/handlers';
import { createIpcRegistrar, type InvokeEventLike, type IpcMainLike } from '../../electron/main/ipc/registrar';
import { DesktopSession } from '../../electron/main/services/desktop-session';
import { createDeviceAccess } from '../../electron/main/services/device-store';
import { DocumentCache } from '../../electron/main/services/document-cache';
import { createNotifier, type NotificationText } from '../../electron/main/services/notifications';
import { PackageSync } from '../../electron/main/services/package-sync';
import type { SafeStorageLike } from '../../electron/main/services/safe-storage';
import type { SignatureRequest } from '../../electron/main/services/signature-confirm';
import { Vault } from '../../electron/main/services/vault';
import { createSettingsService, type SettingsService } from '../../electron/main/settings/settings-service';
import { ProcessSafeStorage } from './safe-storage';

/** The top frame of our own page: the only sender the registrar accepts. */
export const appFrame: InvokeEventLike = { senderFrame: { url: 'app://ecabinet/meetings', parent: null } };

export interface DesktopMain {
  /** ipcRenderer.invoke as the page would call it (one argument or none). */
  invoke(key: keyof typeof ipc, payload?: unknown, event?: InvokeEventLike): Promise<unknown>;
  readonly channels: string[];
  readonly settings: SettingsService;
  readonly cache: DocumentCache;
  readonly packages: PackageSync;
  readonly shown: NotificationText[];
  /** Every signature confirmation asked, and the answer the test gives next. */
  readonly confirmations: SignatureRequest[];
  answer: boolean;
  /** While true, every request of the main process to the server fails as if the network were gone. */
  offline: boolean;
  retentionDays: number;
}

/**
 * The desktop main process as electron/main/index.ts wires it — same services, same handlers, same
 * registrar — with the three pieces plain Node lacks injected: the OS key store (ProcessSafeStorage),
 * the native confirmation dialog (a recorded answer) and the network switch (to read offline).
 */
export async function startDesktopMain(
  o: Readonly<{ dir: string; serverUrl: string; safeStorage?: SafeStorageLike }>,
): Promise<DesktopMain> {
  const handlers = new Map<string, (e: InvokeEventLike, ...a: unknown[]) => Promise<unknown>>();
  const safe = o.safeStorage ?? new ProcessSafeStorage();
  let stored: unknown = undefined;
  const settings = createSettingsService({ read: () => stored, write: (v) => void (stored = v) });
  settings.update({ serverUrl: o.serverUrl, language: 'vi' });
  const cache = await DocumentCache.open({ dir: join(o.dir, 'offline'), safeStorage: safe });
  const state: DesktopMain = {
    invoke: async (key, payload, event = appFrame) => {
      const h = handlers.get(ipc[key].name);
      if (!h) {
        throw new Error(`no handler for ${key}`);
      }
      return payload === undefined ? h(event) : h(event, payload);
    },
    channels: [],
    settings,
    cache,
    packages: undefined as unknown as PackageSync,
    shown: [],
    confirmations: [],
    answer: false,
    offline: false,
    retentionDays: 30,
  };
  const net: typeof fetch = (input, init) =>
    state.offline ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init);
  const session = new DesktopSession({ settings, fetchImpl: net });
  const packages = new PackageSync({
    cache,
    serverUrl: () => settings.get().serverUrl,
    retentionDays: () => state.retentionDays,
    fetchImpl: net,
    onUnauthenticated: () => session.signOut(),
  });
  Object.assign(state, { packages });
  const ipcMain: IpcMainLike = {
    handle: (c, l) => {
      handlers.set(c, l);
      state.channels.push(c);
    },
    removeHandler: (c) => void handlers.delete(c),
  };
  registerHandlers(createIpcRegistrar(ipcMain), {
    settings,
    session,
    device: await createDeviceAccess({
      passphrase: null,
      open: async () => ({ cache, packages, notes: cache.notesStore(join(o.dir, 'offline', 'notes')) }),
    }),
    vault: new Vault({ file: join(o.dir, 'vault.json'), safeStorage: safe }),
    notifier: createNotifier({ show: (t) => state.shown.push(t), language: () => settings.get().language }),
    confirmSignature: async (r) => {
      state.confirmations.push(r);
      return state.answer;
    },
  });
  return state;
}
