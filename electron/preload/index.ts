import { contextBridge, ipcRenderer } from 'electron';
import type { Result } from '../../shared/errors';
import {
  ipc,
  ipcEvents,
  type IpcChannels,
  type IpcRequest,
  type IpcResponse,
  type RoomNotice,
  type SyncProgress,
} from '../../shared/ipc';
import type { PlatformAdapter } from '../../shared/platform';

/**
 * The preload exposes ONE object, `window.ecab`, built from small namespaces (Bitwarden style). Each
 * function maps to exactly one channel of shared/ipc.ts — there is no generic send/invoke, so a
 * compromised page can call only these operations, and the main process validates each call anyway.
 */
function call<K extends keyof IpcChannels>(
  key: K,
  ...req: IpcRequest<K> extends undefined ? [] : [IpcRequest<K>]
): Promise<Result<IpcResponse<K>>> {
  return ipcRenderer.invoke(ipc[key].name, ...req) as Promise<Result<IpcResponse<K>>>;
}

async function valueOr<T>(p: Promise<Result<T>>, fallback: T): Promise<T> {
  const r = await p;
  return r.ok ? r.value : fallback;
}

/** Subscribes to one main → renderer event; the IpcRendererEvent never reaches the page. */
function subscribe<T>(channel: string, cb: (payload: T) => void): () => void {
  const listener = (_e: unknown, payload: T) => cb(payload);
  ipcRenderer.on(channel, listener);
  return () => {
    ipcRenderer.removeListener(channel, listener);
  };
}

const documents = {
  get: (ref, token) =>
    call('documentGet', { ref: { id: ref.id, sha256: ref.sha256, size: ref.size, url: ref.url }, token }),
  async sync(ref, token, onProgress) {
    const progressId = crypto.randomUUID();
    const off = onProgress
      ? subscribe<{ progressId: string; received: number }>(ipcEvents.documentProgress, (p) => {
          if (p.progressId === progressId) {
            onProgress(p.received);
          }
        })
      : undefined;
    try {
      return await call('documentSync', {
        ref: { id: ref.id, sha256: ref.sha256, size: ref.size, url: ref.url },
        token,
        progressId,
      });
    } finally {
      off?.();
    }
  },
  cached: (sha256s) => valueOr(call('documentCached', { sha256s: [...sha256s] }), []),
  async purge(sha256s) {
    await call('documentPurge', { sha256s: [...sha256s] });
  },
} satisfies PlatformAdapter['documents'];

const settings = {
  get: (key) => valueOr(call('settingGet', { key }), null),
  async set(key, value) {
    await call('settingSet', { key, value });
  },
} satisfies PlatformAdapter['settings'];

const notes = {
  async list(userId, documentId) {
    const raw = await valueOr(call('notesList', { userId, documentId }), {});
    return Object.fromEntries(Object.entries(raw).map(([page, note]) => [Number(page), note]));
  },
  async save(userId, documentId, notes) {
    await call('notesSave', { userId, documentId, notes: Object.fromEntries(Object.entries(notes)) });
  },
} satisfies PlatformAdapter['notes'];

const notifications = {
  async notify(title, body) {
    await call('notify', { title, body });
  },
  /** Room events (vote opened, floor given, new document): texts are localised by the main process. */
  async room(notice: RoomNotice) {
    await call('notifyRoom', notice);
  },
} satisfies PlatformAdapter['notifications'];

const signing = {
  available: async () => (await valueOr(call('vaultInfo'), null)) !== null,
  sign: (canonicalJson) => call('vaultSignCanonical', { canonicalJson }),
  // PDF signatures: the server prepares, only the digest comes in and only the signature goes out.
  certificate: () => call('vaultCertificate'),
  signDigest: (digest) => call('vaultSignDigest', { digest }),
  info: () => call('vaultInfo'),
  importCertificate: (p12, password) => call('vaultImport', { p12, password }),
} satisfies PlatformAdapter['signing'];

/** Certificate management; the private key never leaves the main process. */
const vault = {
  import: (p12: Uint8Array, password: string) => call('vaultImport', { p12, password }),
  info: () => call('vaultInfo'),
  remove: () => call('vaultRemove'),
  signDigest: (digest: Uint8Array) => call('vaultSignDigest', { digest }),
};

/** Offline meeting packages: whole-meeting sync with progress, offline reads by document id. */
const packages = {
  sync: (meetingId: string, token: string) => call('packageSync', { meetingId, token }),
  read: (documentId: string) => call('packageRead', { documentId }),
  onProgress: (cb: (p: SyncProgress) => void) => subscribe<SyncProgress>(ipcEvents.syncProgress, cb),
};

const shell = {
  /** Opens an allow-listed https link in the system browser; resolves false when refused. */
  openExternal: (url: string) => valueOr(call('openExternal', { url }), false),
};

export const ecab = {
  kind: 'electron' as const,
  serverUrl: () => valueOr(call('serverUrl'), null),
  documents,
  settings,
  notes,
  notifications,
  signing,
  vault,
  packages,
  shell,
};
// The renderer's PlatformAdapter contract (shared/platform.ts) must hold for the desktop object too.
const _platformContract: PlatformAdapter = ecab;

/** The renderer's type for `window.ecab`, derived from this implementation (written once). */
export type EcabDesktopApi = typeof ecab;

contextBridge.exposeInMainWorld('ecab', ecab);
