import { z } from 'zod';
import { PackageManifest } from '../../../shared/api/documents';
import { MeetingStatus } from '../../../shared/api/meetings';
import { ErrorResponse } from '../../../shared/errors';
import type { SyncProgress, SyncSummary } from '../../../shared/ipc';
import { IpcError } from '../ipc/ipc-error';
import type { DocumentCache } from './document-cache';

export interface PackageSyncOptions {
  readonly cache: DocumentCache;
  /** Base URL of the session server (settings.serverUrl). */
  readonly serverUrl: () => string;
  readonly retentionDays: () => number;
  readonly fetchImpl?: typeof fetch;
  readonly now?: () => Date;
  readonly onProgress?: (p: SyncProgress) => void;
}

const MeetingStatusReply = z.object({ status: MeetingStatus });
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Offline meeting packages: reads the meeting's manifest (GET /api/meetings/:id/package,
 * shared/api/documents.ts), downloads what is missing or changed in the background with progress
 * events, skips what is already cached, purges revoked documents, and purges a closed meeting's
 * documents once the retention period has passed.
 */
export class PackageSync {
  private readonly running = new Map<string, Promise<SyncSummary>>();

  constructor(private readonly o: PackageSyncOptions) {}

  private async getJson(path: string, token: string): Promise<unknown> {
    const res = await (this.o.fetchImpl ?? fetch)(new URL(path, this.o.serverUrl()), {
      headers: { authorization: `Bearer ${token}` },
      redirect: 'error',
    });
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const err = ErrorResponse.safeParse(body);
      throw new IpcError(
        err.success ? err.data.error.code : 'SYNC_FAILED',
        err.success ? err.data.error.message : `server answered ${res.status}`,
      );
    }
    return body;
  }

  /** One sync per meeting at a time; a second caller waits for the running one. */
  sync(meetingId: string, token: string, signal?: AbortSignal): Promise<SyncSummary> {
    let job = this.running.get(meetingId);
    if (!job) {
      job = this.run(meetingId, token, signal).finally(() => this.running.delete(meetingId));
      this.running.set(meetingId, job);
    }
    return job;
  }

  private async run(meetingId: string, token: string, signal?: AbortSignal): Promise<SyncSummary> {
    const { cache } = this.o;
    const emit = (p: Omit<SyncProgress, 'meetingId'>) => this.o.onProgress?.({ meetingId, ...p });
    emit({ documentId: null, phase: 'manifest', received: 0, total: 0, done: 0, count: 0 });
    const manifest = PackageManifest.parse(await this.getJson(`/api/meetings/${meetingId}/package`, token));
    const count = manifest.documents.length;

    // Revoked, or no longer listed for this user (access withdrawn): purge before downloading.
    const listed = new Set(manifest.documents.map((d) => d.id));
    const stale = Object.entries(cache.index.data.documents)
      .filter(([id, d]) => d.meetingId === meetingId && !listed.has(id))
      .map(([id]) => id);
    const purged = await cache.purgeDocuments([...new Set([...manifest.revoked, ...stale])]);
    if (purged > 0) {
      emit({ documentId: null, phase: 'purged', received: 0, total: 0, done: 0, count });
    }

    const summary: SyncSummary = { downloaded: 0, skipped: 0, failed: [], purged };
    let done = 0;
    for (const doc of manifest.documents) {
      signal?.throwIfAborted();
      const source = {
        id: doc.id,
        sha256: doc.sha256,
        size: doc.size,
        url: new URL(doc.url, this.o.serverUrl()).toString(),
      };
      try {
        const status = await cache.ensure(source, token, {
          meetingId,
          name: doc.name,
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

    await this.noteMeetingStatus(meetingId, token);
    emit({ documentId: null, phase: 'done', received: 0, total: 0, done, count });
    return summary;
  }

  /** Remembers when this device first saw the meeting closed (retention counts from there). */
  private async noteMeetingStatus(meetingId: string, token: string): Promise<void> {
    const now = (this.o.now ?? (() => new Date()))().toISOString();
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

  /** Purges every meeting closed longer ago than the retention period; returns purged meeting ids. */
  async purgeExpired(): Promise<string[]> {
    const now = (this.o.now ?? (() => new Date()))().getTime();
    const limit = this.o.retentionDays() * DAY_MS;
    const { cache } = this.o;
    const expired = Object.entries(cache.index.data.meetings)
      .filter(([, m]) => m.closedAt !== null && now - Date.parse(m.closedAt) >= limit)
      .map(([id]) => id);
    for (const meetingId of expired) {
      const docs = Object.entries(cache.index.data.documents)
        .filter(([, d]) => d.meetingId === meetingId)
        .map(([id]) => id);
      await cache.purgeDocuments(docs);
      await cache.index.update((d) => {
        delete d.meetings[meetingId];
      });
    }
    return expired;
  }

  /** Document ids of a meeting available offline. */
  offlineDocuments(meetingId: string): string[] {
    return Object.entries(this.o.cache.index.data.documents)
      .filter(([, d]) => d.meetingId === meetingId)
      .map(([id]) => id);
  }
}
