import { PackageManifest } from '../../../shared/api/documents';
import type { SyncProgress, SyncSummary } from '../../../shared/ipc';
import type { DocumentRef, LocalNote, PlatformAdapter } from '../../../shared/platform';
import { platformError } from '../../../shared/platform';
import type { Result } from '../../../shared/errors';
import { absoluteUrl, currentToken } from '../api/http';
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

async function download(ref: DocumentRef, onProgress?: (n: number) => void): Promise<Result<Uint8Array>> {
  const token = currentToken();
  if (!token) {
    return platformError('NOT_SIGNED_IN', 'Sign in first');
  }
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
  remember(ref.meetingId, ref.sha256);
  if (idbAvailable()) {
    // Caching is best effort and off the critical path: a slow or full store must not delay reading.
    void idbPut('documents', ref.sha256, bytes.slice().buffer).catch(() => undefined);
  }
  return { ok: true, value: bytes };
}

/** Which content this browser keeps per meeting, so a later sync can drop what the manifest no longer lists. */
function kept(meetingId: string): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(`ecab.pkg.${meetingId}`) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
function keep(meetingId: string, shas: readonly string[]): void {
  try {
    localStorage.setItem(`ecab.pkg.${meetingId}`, JSON.stringify([...new Set(shas)]));
  } catch {
    // Private mode: nothing is remembered, and nothing outlives the tab's memory anyway.
  }
}
function remember(meetingId: string, sha256: string): void {
  keep(meetingId, [...kept(meetingId), sha256]);
}
async function forget(sha256s: readonly string[]): Promise<void> {
  for (const s of sha256s) {
    memoryDocs.delete(s);
    if (idbAvailable()) {
      await idbDelete('documents', s).catch(() => undefined);
    }
  }
}

/** The browser's package sync: like the desktop's, minus retention (a browser cache is the user's). */
async function syncPackage(meetingId: string, onProgress?: (p: SyncProgress) => void): Promise<Result<SyncSummary>> {
  const token = currentToken();
  if (!token) {
    return platformError('NOT_SIGNED_IN', 'Sign in first');
  }
  let manifest: PackageManifest;
  try {
    const res = await fetch(absoluteUrl(`/api/meetings/${meetingId}/package`), { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) {
      return platformError('SYNC_FAILED', `Package manifest failed (${res.status})`);
    }
    manifest = PackageManifest.parse(await res.json());
  } catch {
    return platformError('UNREACHABLE', 'Server unreachable');
  }
  const listed = new Set(manifest.documents.map((d) => d.sha256));
  const stale = kept(meetingId).filter((s) => !listed.has(s));
  await forget(stale);
  keep(meetingId, kept(meetingId).filter((s) => listed.has(s)));
  const count = manifest.documents.length;
  const summary: SyncSummary = { downloaded: 0, skipped: 0, failed: [], purged: stale.length };
  let done = 0;
  for (const d of manifest.documents) {
    const ref = { meetingId, id: d.id, sha256: d.sha256, size: d.size, url: absoluteUrl(d.url) };
    if (await cachedBytes(d.sha256)) {
      remember(meetingId, d.sha256);
      summary.skipped += 1;
      done += 1;
      onProgress?.({ meetingId, documentId: d.id, phase: 'skipped', received: d.size, total: d.size, done, count });
      continue;
    }
    const r = await download(ref, (received) =>
      onProgress?.({ meetingId, documentId: d.id, phase: 'downloading', received, total: d.size, done, count }),
    );
    if (r.ok) {
      summary.downloaded += 1;
      done += 1;
      onProgress?.({ meetingId, documentId: d.id, phase: 'verified', received: d.size, total: d.size, done, count });
    } else {
      summary.failed.push({ documentId: d.id, code: r.error.code, message: r.error.message });
    }
  }
  return { ok: true, value: summary };
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
    async get(ref) {
      const hit = await cachedBytes(ref.sha256);
      if (hit) {
        return { ok: true, value: hit };
      }
      return download(ref);
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
  },
  packages: { sync: syncPackage },
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
