import type { CachedDocumentInfo, DocumentRef, LocalNote, PlatformAdapter } from '../../../shared/platform';
import { platformError } from '../../../shared/platform';
import type { Result } from '../../../shared/errors';
import { idbAvailable, idbDelete, idbGet, idbKeys, idbPut, idbWarm } from './idb';

/**
 * Web implementation of the platform adapter: documents cached in IndexedDB by sha256,
 * settings in localStorage, notes in IndexedDB (falling back to memory where IndexedDB is missing).
 */
const memoryDocs = new Map<string, Uint8Array>();
idbWarm();
const memoryNotes = new Map<string, Record<number, LocalNote>>();

async function cachedBytes(sha256: string): Promise<Uint8Array | undefined> {
  const mem = memoryDocs.get(sha256);
  if (mem) {
    return mem;
  }
  if (!idbAvailable()) {
    return undefined;
  }
  try {
    const stored = await idbGet<ArrayBuffer>('documents', sha256);
    return stored ? new Uint8Array(stored) : undefined;
  } catch {
    return undefined;
  }
}

async function download(ref: DocumentRef, token: string, onProgress?: (n: number) => void): Promise<Result<Uint8Array>> {
  let res: Response;
  try {
    res = await fetch(ref.url, { headers: { authorization: `Bearer ${token}` } });
  } catch {
    return platformError('UNREACHABLE', 'Server unreachable');
  }
  if (!res.ok || !res.body) {
    return platformError(res.status === 404 ? 'NOT_FOUND' : 'DOWNLOAD_FAILED', `Download failed (${res.status})`);
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    chunks.push(value);
    received += value.byteLength;
    onProgress?.(received);
  }
  const bytes = new Uint8Array(received);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  memoryDocs.set(ref.sha256, bytes);
  if (idbAvailable()) {
    // Caching is best effort and off the critical path: a slow or full store must not delay reading.
    void idbPut('documents', ref.sha256, bytes.slice().buffer).catch(() => undefined);
  }
  return { ok: true, value: bytes };
}

function notesKey(userId: string, documentId: string): string {
  return `notes:${userId}:${documentId}`;
}

/**
 * Notes written before notes were synced were kept per document only (`notes:<documentId>`): the first
 * user to open the document adopts them as unsynced edits older than anything on the server.
 */
async function adoptLegacyNotes(documentId: string): Promise<Record<number, LocalNote> | undefined> {
  const legacyKey = `notes:${documentId}`;
  const legacy = await idbGet<Record<number, string>>('notes', legacyKey).catch(() => undefined);
  if (!legacy) {
    return undefined;
  }
  await idbDelete('notes', legacyKey).catch(() => undefined);
  const epoch = new Date(0).toISOString();
  return Object.fromEntries(Object.entries(legacy).map(([page, text]) => [Number(page), { text, updatedAt: epoch, dirty: true }]));
}

export const webPlatform: PlatformAdapter = {
  kind: 'web',
  async serverUrl() {
    return null;
  },
  documents: {
    async get(ref, token) {
      const hit = await cachedBytes(ref.sha256);
      if (hit) {
        return { ok: true, value: hit };
      }
      return download(ref, token);
    },
    async sync(ref, token, onProgress): Promise<Result<CachedDocumentInfo>> {
      const hit = await cachedBytes(ref.sha256);
      if (hit) {
        onProgress?.(hit.byteLength);
        return { ok: true, value: { sha256: ref.sha256, size: hit.byteLength } };
      }
      const r = await download(ref, token, onProgress);
      return r.ok ? { ok: true, value: { sha256: ref.sha256, size: r.value.byteLength } } : r;
    },
    async cached(sha256s) {
      const keys = new Set(memoryDocs.keys());
      if (idbAvailable()) {
        for (const k of await idbKeys('documents').catch(() => [])) {
          keys.add(k);
        }
      }
      return sha256s.filter((s) => keys.has(s));
    },
    async purge(sha256s) {
      for (const s of sha256s) {
        memoryDocs.delete(s);
        if (idbAvailable()) {
          await idbDelete('documents', s).catch(() => undefined);
        }
      }
    },
  },
  settings: {
    async get(key) {
      try {
        return localStorage.getItem(`ecab.${key}`);
      } catch {
        return null;
      }
    },
    async set(key, value) {
      try {
        if (value === null) {
          localStorage.removeItem(`ecab.${key}`);
        } else {
          localStorage.setItem(`ecab.${key}`, value);
        }
      } catch {
        // Private mode: settings simply do not persist.
      }
    },
  },
  notes: {
    async list(userId, documentId) {
      const key = notesKey(userId, documentId);
      const mem = memoryNotes.get(key);
      if (mem) {
        return { ...mem };
      }
      if (!idbAvailable()) {
        return {};
      }
      let stored = await idbGet<Record<number, LocalNote>>('notes', key).catch(() => undefined);
      if (!stored) {
        stored = await adoptLegacyNotes(documentId);
        if (stored) {
          await idbPut('notes', key, stored).catch(() => undefined);
        }
      }
      memoryNotes.set(key, stored ?? {});
      return { ...(stored ?? {}) };
    },
    async save(userId, documentId, notes) {
      const key = notesKey(userId, documentId);
      memoryNotes.set(key, { ...notes });
      if (idbAvailable()) {
        await idbPut('notes', key, { ...notes }).catch(() => undefined);
      }
    },
  },
  notifications: {
    async notify(title, body) {
      if (typeof Notification === 'undefined' || Notification.permission !== 'granted') {
        return;
      }
      // Like the desktop notifier: nothing while the user is looking at this page anyway.
      if (document.visibilityState === 'visible' && document.hasFocus()) {
        return;
      }
      new Notification(title, { body });
    },
  },
  signing: {
    async available() {
      return false;
    },
    async sign() {
      return platformError('NOT_SUPPORTED', 'Signing needs the desktop client');
    },
    // A browser holds no signing key: PDF signing needs the desktop app or the CLI `pdf sign`.
    async certificate() {
      return platformError('NOT_SUPPORTED', 'Signing needs the desktop client');
    },
    async signDigest() {
      return platformError('NOT_SUPPORTED', 'Signing needs the desktop client');
    },
  },
};
