import { readFile } from 'node:fs/promises';
import type { AppContext } from '../http/context';
import type { VerifyReport } from '../../shared/signatures/report';
import { verifyPdf } from './pdf-verify';
import { loadTrustStore, type TrustStore } from './trust-store';

/**
 * POST /api/documents/:id/verify is called by every member's reader for every document it lists (the
 * signature badge), so the report is cached per (content sha256, trust store state) for a
 * minute — validity and revocation are re-judged after that — and concurrent requests share one run.
 * Files without any /ByteRange carry no signature and skip the PDF parse entirely.
 */
const TTL_MS = 60_000;
const MAX = 500;
const cache = new Map<string, { at: number; report: Promise<VerifyReport> }>();

function trustKey(t: TrustStore): string {
  return [...t.roots.map((r) => r.sha256), ...t.crls.map((c) => `${c.thisUpdate.getTime()}:${c.revoked.size}`)].join(',');
}

const UNSIGNED: VerifyReport = { signatures: [], valid: false, revocationUnknown: false };
const BYTE_RANGE = Buffer.from('/ByteRange', 'latin1');

export async function verifyCached(ctx: AppContext, sha256: string): Promise<VerifyReport> {
  const trust = await loadTrustStore(ctx.config.dataDir);
  const key = `${sha256}|${trustKey(trust)}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) {
    return hit.report;
  }
  const report = (async () => {
    const pdf = await readFile(ctx.blobs.pathOf(sha256));
    return pdf.includes(BYTE_RANGE) ? verifyPdf(pdf, { trust }) : UNSIGNED;
  })();
  if (cache.size >= MAX) {
    cache.clear();
  }
  cache.set(key, { at: Date.now(), report });
  report.catch(() => cache.delete(key));
  return report;
}
