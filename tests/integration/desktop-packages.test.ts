import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageManifest } from '../../shared/api/documents';
import { MeetingList } from '../../shared/api/meetings';
import { PublicUser } from '../../shared/api/auth';
import type { SignedIn } from '../../electron/main/services/desktop-session';
import type { SyncProgress } from '../../shared/ipc';
import { DocumentCache } from '../../electron/main/services/document-cache';
import { PackageSync } from '../../electron/main/services/package-sync';
import { ProcessSafeStorage } from '../helpers/safe-storage';
import { Api } from '../helpers/http';
import { startServer, storages, type TestServer } from '../helpers/server';

/**
 * Electron's safeStorage stand-in for plain Node: the real one wraps with the OS key store; this one
 * wraps with a process-local AES key, which is what the services need (an opaque, keyed wrapper).
 */

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

describe.each(storages())('desktop offline meeting packages (%s)', (storage) => {
  let srv: TestServer;
  let delegate: Api;
  let me: SignedIn;
  let secretary: Api;
  let chair: Api;
  let meetingId: string;
  let manifest: PackageManifest;
  const dirs: string[] = [];
  const safe = new ProcessSafeStorage();

  function cacheDir(): string {
    const d = mkdtempSync(join(tmpdir(), 'ecab-desktop-'));
    dirs.push(d);
    return d;
  }
  async function serverBytes(docId: string): Promise<Buffer> {
    const r = await fetch(`${srv.url}/api/documents/${docId}/content`, {
      headers: { authorization: `Bearer ${delegate.token}` },
    });
    expect(r.status).toBe(200);
    return Buffer.from(await r.arrayBuffer());
  }
  function packageSync(
    cache: DocumentCache,
    opts: { now?: () => Date; onProgress?: (p: SyncProgress) => void; serverUrl?: string } = {},
  ) {
    return new PackageSync({
      cache,
      serverUrl: () => opts.serverUrl ?? srv.url,
      retentionDays: () => 30,
      now: opts.now,
      onProgress: opts.onProgress,
    });
  }

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    const anon = new Api(srv.url);
    delegate = await anon.login('delegate01');
    secretary = await anon.login('secretary');
    chair = await anon.login('chair');
    me = { serverUrl: srv.url, token: delegate.token ?? '', user: PublicUser.parse((await delegate.get('/api/me')).body) };
    const list = MeetingList.parse((await delegate.get('/api/meetings')).body);
    for (const m of list.meetings) {
      const p = PackageManifest.parse((await delegate.get(`/api/meetings/${m.id}/package`)).body);
      if (p.documents.length >= 2) {
        meetingId = m.id;
        manifest = p;
        break;
      }
    }
    expect(manifest, 'the demo seed has a meeting with at least two documents').toBeDefined();
  });
  afterAll(async () => {
    await srv?.close();
    for (const d of dirs) {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('syncs the whole package with progress, then skips what is already there', async () => {
    const cache = await DocumentCache.open({ dir: cacheDir(), safeStorage: safe });
    const events: SyncProgress[] = [];
    const sync = packageSync(cache, { onProgress: (p) => events.push(p) });
    const first = await sync.sync(meetingId, me);
    expect(first).toEqual({ downloaded: manifest.documents.length, skipped: 0, failed: [], purged: 0 });
    expect(events[0]?.phase).toBe('manifest');
    expect(events.at(-1)).toMatchObject({
      phase: 'done',
      done: manifest.documents.length,
      count: manifest.documents.length,
    });
    expect(events.filter((e) => e.phase === 'verified')).toHaveLength(manifest.documents.length);
    expect(events.some((e) => e.phase === 'downloading' && e.received > 0)).toBe(true);

    const second = await sync.sync(meetingId, me);
    expect(second).toEqual({ downloaded: 0, skipped: manifest.documents.length, failed: [], purged: 0 });
    for (const d of manifest.documents) {
      const bytes = await cache.readDocument(d.id, me.user.id);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(d.sha256);
      expect(bytes.equals(await serverBytes(d.id))).toBe(true);
    }
  });

  it('stores documents encrypted at rest and reads them offline after a restart', async () => {
    const dir = cacheDir();
    const cache = await DocumentCache.open({ dir, safeStorage: safe });
    await packageSync(cache).sync(meetingId, me);
    const doc = manifest.documents[0];
    if (!doc) {
      throw new Error('no document');
    }
    const plain = await serverBytes(doc.id);
    const sample = plain.subarray(Math.floor(plain.length / 2), Math.floor(plain.length / 2) + 48);
    for (const f of filesUnder(dir)) {
      const bytes = readFileSync(f);
      expect(bytes.includes(Buffer.from('%PDF')), f).toBe(false);
      expect(bytes.includes(sample), f).toBe(false);
      expect(bytes.includes(Buffer.from(doc.name, 'utf8')), f).toBe(false);
      expect(bytes.includes(Buffer.from(meetingId)), f).toBe(false);
    }
    // "Restart" with the network gone: a new cache instance, a server address where nothing listens.
    const reopened = await DocumentCache.open({ dir, safeStorage: safe });
    const offline = packageSync(reopened, { serverUrl: 'http://127.0.0.1:9' });
    await expect(offline.sync(meetingId, me)).rejects.toThrow();
    expect((await reopened.readDocument(doc.id, me.user.id)).equals(plain)).toBe(true);
    expect(offline.offlineDocuments(meetingId).sort()).toEqual(manifest.documents.map((d) => d.id).sort());

    // Another device's key store cannot open it.
    await expect(DocumentCache.open({ dir, safeStorage: new ProcessSafeStorage() })).rejects.toThrow();
  });

  it('detects an offline copy modified on disk', async () => {
    const dir = cacheDir();
    const cache = await DocumentCache.open({ dir, safeStorage: safe });
    const doc = manifest.documents[0];
    if (!doc) {
      throw new Error('no document');
    }
    await packageSync(cache).sync(meetingId, me);
    const file = cache.blobPath(doc.sha256);
    const bytes = readFileSync(file);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff;
    writeFileSync(file, bytes);
    await expect(cache.readDocument(doc.id, me.user.id)).rejects.toMatchObject({ code: 'DOCUMENT_INTEGRITY' });
  });

  it('resumes an interrupted download with Range and verifies the result', async () => {
    const doc = [...manifest.documents].sort((a, b) => b.size - a.size)[0];
    if (!doc) {
      throw new Error('no document');
    }
    expect(doc.size, 'the largest demo PDF spans several 4 KiB records').toBeGreaterThan(3 * 4096);
    const ranges: (string | null)[] = [];
    const observed: typeof fetch = (input, init) => {
      ranges.push(new Headers(init?.headers).get('range'));
      return fetch(input, init);
    };
    const dir = cacheDir();
    const cache = await DocumentCache.open({ dir, safeStorage: safe, recordSize: 4096, fetchImpl: observed });
    const source = {
      id: doc.id,
      sha256: doc.sha256,
      size: doc.size,
      url: new URL(doc.url, srv.url).toString(),
    };
    const owner = { meetingId, name: doc.name, userId: me.user.id };
    const abort = new AbortController();
    let firstStop = 0;
    await expect(
      cache.ensure(source, delegate.token ?? '', {
        ...owner,
        signal: abort.signal,
        onProgress: (received) => {
          if (!abort.signal.aborted) {
            firstStop = received;
            abort.abort();
          }
        },
      }),
    ).rejects.toThrow();
    expect(firstStop).toBeGreaterThan(0);
    expect(await cache.has(doc.sha256)).toBe(false);
    expect(readdirSync(join(dir, 'blobs')).some((f) => f.endsWith('.part'))).toBe(true);

    expect(await cache.ensure(source, delegate.token ?? '', owner)).toBe('downloaded');
    expect(ranges[0]).toBeNull();
    const resumedFrom = Number(/^bytes=(\d+)-$/.exec(ranges[1] ?? '')?.[1]);
    expect(resumedFrom).toBeGreaterThanOrEqual(firstStop);
    expect(resumedFrom).toBeLessThan(doc.size);
    expect((await cache.read(doc.sha256)).equals(await serverBytes(doc.id))).toBe(true);
  });

  it('refuses content that does not match the manifest sha256 (tampered on the server)', async () => {
    const doc = manifest.documents[1];
    if (!doc) {
      throw new Error('no document');
    }
    const blob = join(srv.dataDir, 'blobs', doc.sha256.slice(0, 2), doc.sha256);
    const original = readFileSync(blob);
    const forged = Buffer.from(original);
    forged[Math.floor(forged.length / 2)] = (forged[Math.floor(forged.length / 2)] ?? 0) ^ 0x01;
    writeFileSync(blob, forged);
    try {
      const dir = cacheDir();
      const cache = await DocumentCache.open({ dir, safeStorage: safe });
      const summary = await packageSync(cache).sync(meetingId, me);
      expect(summary.failed).toEqual([
        expect.objectContaining({ documentId: doc.id, code: 'DOCUMENT_INTEGRITY' }),
      ]);
      expect(await cache.has(doc.sha256)).toBe(false);
      expect(readdirSync(join(dir, 'blobs')).filter((f) => f.startsWith(doc.sha256))).toEqual([]);
      await expect(cache.readDocument(doc.id, me.user.id)).rejects.toMatchObject({ code: 'NOT_CACHED' });
    } finally {
      writeFileSync(blob, original);
    }
  });

  it('purges a revoked document, then the whole meeting once the retention period after closing has passed', async () => {
    let now = new Date();
    const dir = cacheDir();
    const cache = await DocumentCache.open({ dir, safeStorage: safe });
    const sync = packageSync(cache, { now: () => now });
    await sync.sync(meetingId, me);
    const revoked = manifest.documents[0];
    if (!revoked) {
      throw new Error('no document');
    }
    expect((await secretary.delete(`/api/documents/${revoked.id}`)).status).toBe(204);
    const after = await sync.sync(meetingId, me);
    expect(after.purged).toBe(1);
    await expect(cache.readDocument(revoked.id, me.user.id)).rejects.toMatchObject({ code: 'NOT_CACHED' });
    expect(await cache.has(revoked.sha256)).toBe(false);
    const kept = manifest.documents.filter((d) => d.id !== revoked.id && d.sha256 !== revoked.sha256);
    expect(kept.length).toBeGreaterThan(0);
    for (const d of kept) {
      expect((await cache.readDocument(d.id, me.user.id)).length).toBe(d.size);
    }

    // Close the meeting; the next sync notes it, and 30 days later its documents leave the device.
    for (const status of ['in_progress', 'closed']) {
      const r = await chair.post(`/api/meetings/${meetingId}/status`, { status });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    await sync.sync(meetingId, me);
    now = new Date(now.getTime() + 29 * 24 * 3600 * 1000);
    expect(await sync.purgeExpired()).toEqual([]);
    // Kept until the retention period ends — except confidential documents, which delegates lose when the
    // meeting closes (docs/security.md): the sync after the close already purged those.
    const open = kept.find((d) => d.confidentiality !== 'confidential');
    expect((await cache.readDocument(open?.id ?? '', me.user.id)).length).toBeGreaterThan(0);
    now = new Date(now.getTime() + 2 * 24 * 3600 * 1000);
    expect(await sync.purgeExpired()).toEqual([meetingId]);
    for (const d of kept) {
      await expect(cache.readDocument(d.id, me.user.id)).rejects.toMatchObject({ code: 'NOT_CACHED' });
    }
    expect(readdirSync(join(dir, 'blobs')).filter((f) => f.endsWith('.enc'))).toEqual([]);
  });
});
