import { and, desc, eq } from 'drizzle-orm';
import { appendAudit } from '../audit/log';
import type { AuthUser } from '../auth/sessions';
import { blobs, documents, signedRevisions } from '../db/schema';
import type { StoredBlob } from '../documents/blob-store';
import type { DocumentRow } from '../documents/service';
import { AppError, badRequest, conflict, forbidden } from '../errors';
import type { AppContext } from '../http/context';
import { CHAIR_FIELD } from '../minutes/drafts';
import { minutesRecord, signedFields } from '../minutes/registry';
import { noticeRecord } from '../minutes/notice';
import { NOTICE_CHAIR_FIELD } from '../minutes/notice-pdf';
import type { SignedRevision } from '../../shared/signatures/api';
import { minutesSignRefusal } from '../../shared/signatures/minutes';
import type { VerifyReport } from '../../shared/signatures/report';
import { verifyPdf } from './pdf-verify';
import { loadTrustStore } from './trust-store';

type RevisionRow = typeof signedRevisions.$inferSelect;

export const toRevision = (r: RevisionRow): SignedRevision => ({
  id: r.id,
  seq: r.seq,
  sha256: r.sha256,
  prevSha256: r.prevSha256,
  size: r.size,
  signerSubject: r.signerSubject,
  fieldName: r.fieldName,
  uploadedBy: r.uploadedBy,
  createdAt: r.createdAt.toISOString(),
});

const failedChecks = (s: VerifyReport['signatures'][number]) =>
  s.checks
    .filter((c) => c.status === 'failed')
    .map((c) => c.detail)
    .join('; ');

/** Minutes: the chair's box first, then the secretary's (shared/signatures/minutes.ts). */
export async function assertMinutesOrder(ctx: AppContext, doc: DocumentRow, role: string | null, fields: readonly string[]): Promise<void> {
  if (!(await minutesRecord(ctx.db, doc.meetingId, doc.id))) {
    return;
  }
  const signed = (await signedFields(ctx.db, doc.id)).map((s) => s.fieldName);
  for (const f of fields) {
    const refusal = minutesSignRefusal(f, role, signed);
    if (refusal) {
      if (refusal.code === 'WRONG_SIGNER') {
        throw forbidden(refusal.message);
      }
      throw refusal.code === 'UNKNOWN_FIELD' ? badRequest(refusal.message) : new AppError(409, 'INVALID_STATE', refusal.message);
    }
    signed.push(f);
  }
}

export interface AcceptInput {
  readonly doc: DocumentRow;
  readonly user: AuthUser;
  readonly role: string | null;
  /** The document's current bytes and the proposed signed revision. */
  readonly current: Buffer;
  readonly next: Buffer;
  /** Stores the new bytes in the blob store (called only once every check passed). */
  readonly store: () => Promise<StoredBlob>;
}

/**
 * Accepts a signed revision (both the multipart upload and the remote-signing route end here): it must
 * extend the current bytes (incremental update), every signature must be intact, the new ones trusted
 * and, on minutes, in order. Then the blob is stored, the document points at it, and the history and
 * audit entries are written in one transaction (409 if the document changed meanwhile).
 */
export async function acceptSignedRevision(ctx: AppContext, a: AcceptInput): Promise<{ revision: SignedRevision; report: VerifyReport }> {
  const { doc, user, current, next } = a;
  if (next.length <= current.length || !next.subarray(0, current.length).equals(current)) {
    throw badRequest('The signed PDF must be an incremental update of the current document revision');
  }
  const trust = await loadTrustStore(ctx.config.dataDir);
  const report = await verifyPdf(next, { trust }).catch(() => {
    throw new AppError(400, 'INVALID_SIGNATURE', 'The upload is not a readable PDF');
  });
  // Signatures whose byte range ends beyond the current revision are the ones this upload adds.
  const added = report.signatures.filter((s) => (s.signedLength ?? 0) > current.length);
  const broken = report.signatures.find((s) => !s.intact);
  if (broken) {
    throw new AppError(400, 'INVALID_SIGNATURE', `Signature "${broken.fieldName}" is not intact: ${failedChecks(broken)}`);
  }
  const newest = report.signatures[report.signatures.length - 1];
  if (!newest || !newest.coversWholeDocument || added.length === 0) {
    throw new AppError(400, 'INVALID_SIGNATURE', 'The upload adds no signature covering the whole new revision');
  }
  // Revocation "unknown" (no CRL of a foreign issuer) is accepted here and shown as such by the badge.
  const untrusted = added.find((s) => !s.trusted && !s.revocationUnknown);
  if (untrusted) {
    throw new AppError(400, 'INVALID_SIGNATURE', `New signature "${untrusted.fieldName}" is not trusted: ${failedChecks(untrusted)}`);
  }
  await assertMinutesOrder(ctx, doc, a.role, added.map((s) => s.fieldName));
  // The conclusion notice's box is the chair's (server/minutes/notice.ts).
  if (a.role !== 'chair' && a.user.role !== 'admin' && added.some((s) => s.fieldName === NOTICE_CHAIR_FIELD) && (await noticeRecord(ctx.db, doc.id))) {
    throw forbidden("Only the meeting's chair signs the conclusion notice");
  }
  const isMinutes = (await minutesRecord(ctx.db, doc.meetingId, doc.id)) !== null;
  const stored = await a.store();
  const row = await ctx.db.transaction(async (tx) => {
    // Locked: regenerating draft minutes (server/minutes/routes.ts) revokes the draft under the same lock.
    const [fresh] = await tx.select({ sha256: documents.sha256, revokedAt: documents.revokedAt }).from(documents).where(eq(documents.id, doc.id)).limit(1).for('update');
    if (fresh?.sha256 !== doc.sha256) {
      throw conflict('The document changed while you were signing: download the current revision and sign again');
    }
    if (fresh.revokedAt) {
      throw conflict('The document was withdrawn or replaced while you were signing');
    }
    const [last] = await tx.select({ seq: signedRevisions.seq }).from(signedRevisions).where(eq(signedRevisions.documentId, doc.id)).orderBy(desc(signedRevisions.seq)).limit(1);
    await tx.insert(blobs).values({ sha256: stored.sha256, size: stored.size }).onConflictDoNothing();
    const [rev] = await tx
      .insert(signedRevisions)
      .values({
        documentId: doc.id,
        seq: (last?.seq ?? 0) + 1,
        sha256: stored.sha256,
        prevSha256: doc.sha256,
        size: stored.size,
        uploadedBy: user.id,
        signerSubject: newest.signerSubject ?? '',
        fieldName: newest.fieldName,
        report: JSON.stringify(report),
      })
      .returning();
    await tx.update(documents).set({ sha256: stored.sha256, size: stored.size }).where(and(eq(documents.id, doc.id), eq(documents.sha256, doc.sha256)));
    await appendAudit(tx, {
      actorId: user.id,
      meetingId: doc.meetingId,
      action: 'document.signed',
      data: { documentId: doc.id, sha256: stored.sha256, prevSha256: doc.sha256, field: newest.fieldName, signer: newest.signerSubject },
    });
    if (!rev) {
      throw new Error('insert returned nothing');
    }
    return rev;
  });
  // The chair's signature ends the minutes' draft (server/minutes/drafts.ts): members see them from now on,
  // so for them it is a new document.
  const published = isMinutes && newest.fieldName === CHAIR_FIELD;
  ctx.documentNotices.documentChanged({ meetingId: doc.meetingId, documentId: doc.id, change: published ? 'added' : 'updated', confidentiality: doc.confidentiality });
  return { revision: toRevision(row), report };
}
