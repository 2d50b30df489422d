import { and, eq, inArray } from 'drizzle-orm';
import { appendAudit } from '../audit/log';
import type { AuthUser } from '../auth/sessions';
import { consultationAnswers, consultationMembers, consultations, users } from '../db/schema';
import { AppError, badRequest, conflict, forbidden } from '../errors';
import { recordBlob } from '../documents/generated';
import type { AppContext } from '../http/context';
import type { AnswerRequest, Consultation, CreateConsultationRequest } from '../../shared/api/consultations';
import type { z } from 'zod';
import { verifyAnswerSignature } from './answer-signature';
import { renderConsultationReport } from './report-pdf';
import { canManageConsultations, consultationFor, consultationMembersWithAnswers, tallyOf, toConsultation, type ConsultationRow } from './views';
import { sealPdf } from '../invitations/org-seal';

type Create = z.output<typeof CreateConsultationRequest>;
type Answer = z.output<typeof AnswerRequest>;

function requireManager(user: AuthUser): void {
  if (!canManageConsultations(user)) {
    throw forbidden('Only the secretariat or an administrator runs written consultations');
  }
}

const lateError = (row: ConsultationRow) =>
  row.status === 'closed'
    ? new AppError(409, 'DEADLINE_PASSED', 'This consultation is closed: answers are no longer accepted')
    : new AppError(409, 'DEADLINE_PASSED', `The deadline (${row.deadline.toISOString()}) has passed: answers are no longer accepted`);

export async function createConsultation(ctx: AppContext, user: AuthUser, body: Create): Promise<Consultation> {
  requireManager(user);
  const deadline = new Date(body.deadline);
  if (deadline.getTime() <= Date.now()) {
    throw badRequest('Invalid deadline: it must be in the future');
  }
  const memberIds = [...new Set(body.memberIds)];
  return ctx.db.transaction(async (tx) => {
    const found = await tx.select({ id: users.id }).from(users).where(and(inArray(users.id, memberIds), eq(users.disabled, false)));
    if (found.length !== memberIds.length) {
      throw badRequest('Invalid memberIds: an unknown or disabled user');
    }
    const [row] = await tx
      .insert(consultations)
      .values({ title: body.title, question: body.question, deadline, requireSignature: body.requireSignature, createdBy: user.id })
      .returning();
    if (!row) {
      throw new Error('insert returned nothing');
    }
    await tx.insert(consultationMembers).values(memberIds.map((userId) => ({ consultationId: row.id, userId })));
    await appendAudit(tx, { actorId: user.id, meetingId: null, action: 'consultation.created', data: { consultationId: row.id, members: memberIds.length, deadline: deadline.toISOString() } });
    return toConsultation(tx, row, user);
  });
}

/**
 * A member's one answer. The consultation row is locked first, so an answer and the close (or the
 * deadline check) are ordered: an answer is either in the report or refused, never lost in between.
 */
export async function answerConsultation(ctx: AppContext, id: string, user: AuthUser, body: Answer): Promise<Consultation> {
  // Verify the signature before the transaction (RSA and file reads outside the row lock).
  let signerSubject: string | null = null;
  if (body.signature) {
    signerSubject = await verifyAnswerSignature(ctx, id, user.id, body.choice, body.comment, body.signature);
  }
  return ctx.db.transaction(async (tx) => {
    const { row, isMember } = await consultationFor(tx, id, user, true);
    if (!isMember) {
      throw forbidden('Only the members asked for their opinion answer it');
    }
    if (row.status === 'closed' || row.deadline.getTime() <= Date.now()) {
      throw lateError(row);
    }
    if (row.requireSignature && !body.signature) {
      throw new AppError(400, 'INVALID_SIGNATURE', 'This consultation requires answers signed with your certificate (desktop app)');
    }
    const inserted = await tx
      .insert(consultationAnswers)
      .values({
        consultationId: id,
        userId: user.id,
        choice: body.choice,
        comment: body.comment,
        signatureCms: body.signature?.cms ?? null,
        signerSubject,
      })
      .onConflictDoNothing()
      .returning({ userId: consultationAnswers.userId });
    if (inserted.length === 0) {
      throw conflict('You have already answered this consultation');
    }
    await appendAudit(tx, { actorId: user.id, meetingId: null, action: 'consultation.answered', data: { consultationId: id, choice: body.choice, signed: signerSubject !== null } });
    return toConsultation(tx, row, user);
  });
}

/** Closes the consultation and stores the result report (sealed by the organisation when a CA exists). */
export async function closeConsultation(ctx: AppContext, id: string, user: AuthUser, lang: 'vi' | 'en'): Promise<Consultation> {
  requireManager(user);
  return ctx.db.transaction(async (tx) => {
    const { row } = await consultationFor(tx, id, user, true);
    if (row.status === 'closed') {
      throw new AppError(409, 'INVALID_STATE', 'This consultation is already closed');
    }
    const closedAt = new Date();
    const members = await consultationMembersWithAnswers(tx, id);
    const { pdf, box } = await renderConsultationReport({ ...row, closedAt }, members, tallyOf(members), lang);
    const sealed = await sealPdf(ctx.config.dataDir, pdf, box, lang, lang === 'vi' ? 'Báo cáo kết quả lấy ý kiến' : 'Consultation result report');
    const stored = await ctx.blobs.put(Buffer.from(sealed ?? pdf));
    await recordBlob(tx, stored);
    const [updated] = await tx
      .update(consultations)
      .set({ status: 'closed', closedAt, closedBy: user.id, reportSha256: stored.sha256, reportSize: stored.size })
      .where(eq(consultations.id, id))
      .returning();
    if (!updated) {
      throw new Error('update returned nothing');
    }
    const t = tallyOf(members);
    await appendAudit(tx, { actorId: user.id, meetingId: null, action: 'consultation.closed', data: { consultationId: id, sha256: stored.sha256, ...t } });
    return toConsultation(tx, updated, user);
  });
}
