import { readFile } from 'node:fs/promises';
import { LRUCache } from 'lru-cache';
import type { AppContext } from '../http/context';
import type { VerifyReport } from '../../shared/signatures/report';
import { verifyPdf } from './pdf-verify';
import { loadTrustStore, type TrustStore } from './trust-store';

/**
 * POST /api/documents/:id/verify is called by every member's reader for every document it lists (the
 * signature badge), so the report is cached per (content sha256, trust store state) for a
 * minute — validity and revocation are re-judged after that — and concurrent requests share one run
 * (lru-cache `fetch` de-duplicates; a failed run is not cached). Files without any /ByteRange carry no
 * signature and skip the PDF parse entirely.
 */
interface VerifyJob {
  readonly ctx: AppContext;
  readonly sha256: string;
  readonly trust: TrustStore;
}

const UNSIGNED: VerifyReport = { signatures: [], valid: false, revocationUnknown: false };
const BYTE_RANGE = Buffer.from('/ByteRange', 'latin1');

const cache = new LRUCache<string, VerifyReport, VerifyJob>({
  max: 500,
  ttl: 60_000,
  fetchMethod: (_key, _stale, { context }) => verify(context),
});

async function verify(job: VerifyJob): Promise<VerifyReport> {
  const pdf = await readFile(job.ctx.blobs.pathOf(job.sha256));
  return pdf.includes(BYTE_RANGE) ? verifyPdf(pdf, { trust: job.trust }) : UNSIGNED;
}

function trustKey(t: TrustStore): string {
  return [...t.roots.map((r) => r.sha256), ...t.crls.map((c) => `${c.thisUpdate.getTime()}:${c.revoked.size}`)].join(',');
}

export async function verifyCached(ctx: AppContext, sha256: string): Promise<VerifyReport> {
  const trust = await loadTrustStore(ctx.config.dataDir);
  const job: VerifyJob = { ctx, sha256, trust };
  // undefined only if the entry were evicted mid-fetch: then run it uncached rather than answer nothing.
  return (await cache.fetch(`${sha256}|${trustKey(trust)}`, { context: job })) ?? verify(job);
}
