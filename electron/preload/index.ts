import { contextBridge, ipcRenderer } from 'electron';
import type { Result } from '../../shared/errors';
import { ipc, ipcEvents, type IpcChannels, type IpcRequest, type IpcResponse, type SyncProgress } from '../../shared/ipc';
import type { PlatformAdapter } from '../../shared/platform';

/**
 * The preload exposes ONE object, `window.ecab`, built from small namespaces (Bitwarden style). Each
 * function maps to exactly one channel of shared/ipc.ts — there is no generic send/invoke, so a
 * compromised page can call only these operations, and the main process validates each call anyway.
 * The object is exactly the renderer's PlatformAdapter (shared/platform.ts): the renderer knows
 * `window.ecab` only by that type, and `satisfies` below keeps the two from drifting apart.
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

const ecab = {
  kind: 'electron',
  serverUrl: () => valueOr(call('serverUrl'), null),
  session: {
    signIn: (serverUrl, username, password) => call('sessionSignIn', { serverUrl, username, password }),
    current: () => valueOr(call('sessionCurrent'), null),
    async signOut() {
      await call('sessionSignOut');
    },
  },
  keyStore: {
    status: () => valueOr(call('keyStoreStatus'), { protection: 'os', state: 'ready' }),
    unlock: (passphrase) => call('keyStoreUnlock', { passphrase }),
  },
  documents: {
    // Ids only: the main process finds the document in the manifest it fetches itself.
    get: (ref) => call('documentGet', { meetingId: ref.meetingId, documentId: ref.id }),
    cached: (sha256s) => valueOr(call('documentCached', { sha256s: [...sha256s] }), []),
  },
  packages: {
    async sync(meetingId, onProgress) {
      const off = onProgress
        ? subscribe<SyncProgress>(ipcEvents.syncProgress, (p) => {
            if (p.meetingId === meetingId) {
              onProgress(p);
            }
          })
        : undefined;
      try {
        return await call('packageSync', { meetingId });
      } finally {
        off?.();
      }
    },
  },
  settings: {
    get: (key) => valueOr(call('settingGet', { key }), null),
    async set(key, value) {
      await call('settingSet', { key, value });
    },
  },
  notes: {
    // The user is the main process's signed-in user; the page's userId is not sent.
    async list(_userId, documentId) {
      const raw = await valueOr(call('notesList', { documentId }), {});
      return Object.fromEntries(Object.entries(raw).map(([page, note]) => [Number(page), note]));
    },
    async save(_userId, documentId, notes) {
      await call('notesSave', { documentId, notes: Object.fromEntries(Object.entries(notes)) });
    },
  },
  notifications: {
    async notify(title, body) {
      await call('notify', { title, body });
    },
    /** Room events (vote opened, floor given, new document): texts are localised by the main process. */
    async room(notice) {
      await call('notifyRoom', notice);
    },
  },
  signing: {
    available: async () => (await valueOr(call('vaultInfo'), null)) !== null,
    sign: (canonicalJson, pin) => call('vaultSignCanonical', { canonicalJson, ...(pin === undefined ? {} : { pin }) }),
    // PDF signatures: the server prepares, only the digest comes in and only the signature goes out.
    certificate: () => call('vaultCertificate'),
    signDigest: (digest, documentId, pin) => call('vaultSignDigest', { digest, documentId, ...(pin === undefined ? {} : { pin }) }),
    info: () => call('vaultInfo'),
    source: () => valueOr(call('vaultSource'), null),
    tokenCertificates: (module) => call('vaultTokenCertificates', { module }),
    useToken: (module, tokenSerial, id) => call('vaultUseToken', { module, tokenSerial, id }),
    importCertificate: (p12, password) => call('vaultImport', { p12, password }),
  },
} satisfies PlatformAdapter;

contextBridge.exposeInMainWorld('ecab', ecab);
