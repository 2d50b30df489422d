import { z } from 'zod';
import { PackageManifest } from '../../../shared/api/documents';
import { MeetingStatus } from '../../../shared/api/meetings';
import { ErrorResponse } from '../../../shared/errors';
import type { SyncProgress, SyncSummary } from '../../../shared/ipc';
import { IpcError } from '../ipc/ipc-error';
import type { SignedIn } from './desktop-session';
import type { DocumentCache } from './document-cache';

export interface PackageSyncOptions {
  readonly cache: DocumentCache;
  /** Base URL of the session server (settings.serverUrl). */
  readonly serverUrl: () => string;
  readonly retentionDays: () => number;
  readonly fetchImpl?: typeof fetch;
  readonly now?: () => Date;
  readonly onProgress?: (p: SyncProgress) => void;
  /** The server refused the session's token (401): the session is over. */
  readonly onUnauthenticated?: () => void;
}

const MeetingStatusReply = z.object({ status: MeetingStatus });
const DAY_MS = 24 * 60 * 60 * 1000;

/** No answer at all (offline, DNS, refused): the only case where the offline copy stands in. */
class Unreachable extends IpcError {
  constructor() {
    super('UNREACHABLE', 'Server unreachable');
  }
}

/**
 * Offline meeting packages — the one path by which documents reach and leave the device. Reads the
 * meeting's manifest (GET /api/meetings/:id/package, shared/api/documents.ts) with the signed-in
 * user's session, purges what was revoked or is no longer listed for that user, notes whether the
 * meeting is closed and purges closed meetings past the retention period, then downloads what is
 * missing with progress events. The reader opens documents through `open`, which applies the same
 * manifest, so a document read once is tracked (meeting, user) like a synced one.
 */
export class PackageSync {
  private readonly running = new Map<string, Promise<SyncSummary>>();

  constructor(private readonly o: PackageSyncOptions) {}

  private now(): Date {
    return (this.o.now ?? (() => new Date()))();
  }

  private async getJson(path: string, token: string): Promise<unknown> {
    let res: Response;
    try {
      res = await (this.o.fetchImpl ?? fetch)(new URL(path, this.o.serverUrl()), {
        headers: { authorization: `Bearer ${token}` },
        redirect: 'error',
      });
    } catch {
      throw new Unreachable();
    }
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      if (res.status === 401) {
        this.o.onUnauthenticated?.();
      }
      const err = ErrorResponse.safeParse(body);
      throw new IpcError(
        err.success ? err.data.error.code : 'SYNC_FAILED',
        err.success ? err.data.error.message : `server answered ${res.status}`,
      );
    }
    return body;
  }

  private async manifest(meetingId: string, s: SignedIn): Promise<PackageManifest> {
    const parsed = PackageManifest.safeParse(await this.getJson(`/api/meetings/${meetingId}/package`, s.token));
    if (!parsed.success || parsed.data.meetingId !== meetingId) {
      throw new IpcError('SYNC_FAILED', 'The server sent an unexpected package manifest');
    }
    return parsed.data;
  }

  /** Revoked documents leave for everyone; documents no longer listed for this user leave for them. */
  private async applyWithdrawals(manifest: PackageManifest, s: SignedIn): Promise<number> {
    const { cache } = this.o;
    const listed = new Set(manifest.documents.map((d) => d.id));
    const stale = Object.entries(cache.index.data.documents)
      .filter(([id, d]) => d.meetingId === manifest.meetingId && !listed.has(id))
      .map(([id]) => id);
    const revoked = await cache.purgeDocuments(manifest.revoked);
    return revoked + (await cache.withdraw(stale.filter((id) => !manifest.revoked.includes(id)), s.user.id));
  }

  /** One sync per (meeting, user) at a time; a second caller waits for the running one. */
  sync(meetingId: string, session: SignedIn, signal?: AbortSignal): Promise<SyncSummary> {
    const key = `${meetingId}:${session.user.id}`;
    let job = this.running.get(key);
    if (!job) {
      job = this.run(meetingId, session, signal).finally(() => this.running.delete(key));
      this.running.set(key, job);
    }
    return job;
  }

  private async run(meetingId: string, s: SignedIn, signal?: AbortSignal): Promise<SyncSummary> {
    const { cache } = this.o;
    const emit = (p: Omit<SyncProgress, 'meetingId'>) => this.o.onProgress?.({ meetingId, ...p });
    emit({ documentId: null, phase: 'manifest', received: 0, total: 0, done: 0, count: 0 });
    const manifest = await this.manifest(meetingId, s);
    const count = manifest.documents.length;

    let purged = await this.applyWithdrawals(manifest, s);
    // A closed meeting past its retention period is purged, not downloaded again.
    await this.noteMeetingStatus(meetingId, s.token);
    if (this.expired(meetingId)) {
      purged += await this.o.cache.purgeDocuments(this.offlineDocuments(meetingId));
      emit({ documentId: null, phase: 'purged', received: 0, total: 0, done: 0, count });
      emit({ documentId: null, phase: 'done', received: 0, total: 0, done: 0, count });
      return { downloaded: 0, skipped: 0, failed: [], purged };
    }
    if (purged > 0) {
      emit({ documentId: null, phase: 'purged', received: 0, total: 0, done: 0, count });
    }

    const summary: SyncSummary = { downloaded: 0, skipped: 0, failed: [], purged };
    let done = 0;
    for (const doc of manifest.documents) {
      signal?.throwIfAborted();
      try {
        const status = await cache.ensure(this.source(doc), s.token, {
          meetingId,
          name: doc.name,
          userId: s.user.id,
          signal,
          onProgress: (received) =>
            emit({ documentId: doc.id, phase: 'downloading', received, total: doc.size, done, count }),
        });
        done += 1;
        summary[status === 'downloaded' ? 'downloaded' : 'skipped'] += 1;
        emit({
          documentId: doc.id,
          phase: status === 'downloaded' ? 'verified' : 'skipped',
          received: doc.size,
          total: doc.size,
          done,
          count,
        });
      } catch (err) {
        if (signal?.aborted) {
          throw err;
        }
        const code = err instanceof IpcError ? err.code : 'DOWNLOAD_FAILED';
        const message = err instanceof Error ? err.message : 'download failed';
        summary.failed.push({ documentId: doc.id, code, message });
        emit({ documentId: doc.id, phase: 'failed', received: 0, total: doc.size, done, count });
      }
    }
    emit({ documentId: null, phase: 'done', received: 0, total: 0, done, count });
    return summary;
  }

  private source(doc: PackageManifest['documents'][number]) {
    const url = new URL(doc.url, this.o.serverUrl());
    if (url.origin !== new URL(this.o.serverUrl()).origin) {
      // Document bytes and the token go only to the configured server, whatever a manifest says.
      throw new IpcError('FORBIDDEN', 'documents are downloaded only from the configured server');
    }
    return { id: doc.id, sha256: doc.sha256, size: doc.size, url: url.toString() };
  }

  /**
   * The bytes of one document for the reader. Online, the manifest decides: the document must be listed
   * for this user (revocations and withdrawals are applied on the way); offline (no answer at all), the
   * device's copy is read if this user was listed for it when it was stored.
   */
  async open(meetingId: string, documentId: string, s: SignedIn): Promise<Buffer> {
    const { cache } = this.o;
    let manifest: PackageManifest;
    try {
      manifest = await this.manifest(meetingId, s);
    } catch (err) {
      if (!(err instanceof Unreachable)) {
        throw err;
      }
      if (cache.index.readable(documentId, s.user.id)?.meetingId !== meetingId) {
        throw new IpcError('NOT_CACHED', 'this document is not available offline');
      }
      return cache.readDocument(documentId, s.user.id);
    }
    await this.applyWithdrawals(manifest, s);
    const doc = manifest.documents.find((d) => d.id === documentId);
    if (!doc) {
      throw new IpcError('NOT_FOUND', 'This document is not available to you');
    }
    await cache.ensure(this.source(doc), s.token, { meetingId, name: doc.name, userId: s.user.id });
    const bytes = await cache.readDocument(documentId, s.user.id);
    if (this.expired(meetingId)) {
      // Readable online, but a meeting past its retention period keeps no copy on the device.
      await cache.purgeDocuments(this.offlineDocuments(meetingId));
    }
    return bytes;
  }

  /** Remembers when this device first saw the meeting closed (retention counts from there). */
  private async noteMeetingStatus(meetingId: string, token: string): Promise<void> {
    const now = this.now().toISOString();
    let closed: boolean | null = null;
    try {
      closed =
        MeetingStatusReply.parse(await this.getJson(`/api/meetings/${meetingId}`, token)).status === 'closed';
    } catch {
      // Status unknown (offline or another shape): keep what we knew.
    }
    await this.o.cache.index.update((d) => {
      const prev = d.meetings[meetingId];
      const closedAt = closed === null ? (prev?.closedAt ?? null) : closed ? (prev?.closedAt ?? now) : null;
      d.meetings[meetingId] = { closedAt, syncedAt: now };
    });
  }

  /** Whether the meeting was seen closed longer ago than the retention period. */
  private expired(meetingId: string): boolean {
    const closedAt = this.o.cache.index.data.meetings[meetingId]?.closedAt;
    return closedAt !== null && closedAt !== undefined && this.now().getTime() - Date.parse(closedAt) >= this.o.retentionDays() * DAY_MS;
  }

  /**
   * Purges the documents of every meeting closed longer ago than the retention period; returns the
   * meetings whose documents left. The meeting's entry stays, so a later sync does not restart its clock.
   */
  async purgeExpired(): Promise<string[]> {
    const purged: string[] = [];
    for (const meetingId of Object.keys(this.o.cache.index.data.meetings)) {
      const docs = this.offlineDocuments(meetingId);
      if (this.expired(meetingId) && docs.length > 0) {
        await this.o.cache.purgeDocuments(docs);
        purged.push(meetingId);
      }
    }
    return purged;
  }

  /**
   * Syncs every meeting this device holds documents of, so revocations and withdrawals also reach
   * meetings nobody has open (the main process runs this periodically while someone is signed in).
   */
  async syncHeld(session: SignedIn): Promise<void> {
    const held = new Set(Object.values(this.o.cache.index.data.documents).flatMap((d) => (d.meetingId ? [d.meetingId] : [])));
    for (const meetingId of held) {
      await this.sync(meetingId, session).catch(() => undefined);
    }
  }

  /** Document ids of a meeting available offline (any user). */
  offlineDocuments(meetingId: string): string[] {
    return Object.entries(this.o.cache.index.data.documents)
      .filter(([, d]) => d.meetingId === meetingId)
      .map(([id]) => id);
  }
}
