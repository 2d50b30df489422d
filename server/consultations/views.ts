import { and, asc, eq, inArray } from 'drizzle-orm';
import type { AuthUser } from '../auth/sessions';
import type { Executor } from '../db/client';
import { consultationAnswers, consultationDocuments, consultationMembers, consultations, users } from '../db/schema';
import { notFound } from '../errors';
import type { Consultation, ConsultationAnswer, ConsultationMember, ConsultationTally } from '../../shared/api/consultations';

export type ConsultationRow = typeof consultations.$inferSelect;

/** The secretariat (account role secretary) and administrators run consultations. */
export const canManageConsultations = (user: AuthUser) => user.role === 'admin' || user.role === 'secretary';

/** Loads a consultation the user may see; anyone else gets 404, as for meetings (no leaks). */
export async function consultationFor(db: Executor, id: string, user: AuthUser, lock = false): Promise<{ row: ConsultationRow; isMember: boolean; canManage: boolean }> {
  const q = db.select().from(consultations).where(eq(consultations.id, id)).limit(1);
  const [row] = lock ? await q.for('update') : await q;
  if (!row) {
    throw notFound('Consultation');
  }
  const [m] = await db
    .select({ userId: consultationMembers.userId })
    .from(consultationMembers)
    .where(and(eq(consultationMembers.consultationId, id), eq(consultationMembers.userId, user.id)))
    .limit(1);
  const canManage = canManageConsultations(user);
  if (!m && !canManage) {
    throw notFound('Consultation');
  }
  return { row, isMember: !!m, canManage };
}

type AnswerRow = typeof consultationAnswers.$inferSelect;
const toAnswer = (a: AnswerRow): ConsultationAnswer => ({
  choice: a.choice,
  comment: a.comment,
  answeredAt: a.answeredAt.toISOString(),
  signed: a.signatureCms !== null,
  signerSubject: a.signerSubject,
});

export async function consultationMembersWithAnswers(db: Executor, id: string): Promise<ConsultationMember[]> {
  const rows = await db
    .select({ userId: users.id, displayName: users.displayName, title: users.title, answer: consultationAnswers })
    .from(consultationMembers)
    .innerJoin(users, eq(users.id, consultationMembers.userId))
    .leftJoin(consultationAnswers, and(eq(consultationAnswers.consultationId, id), eq(consultationAnswers.userId, users.id)))
    .where(eq(consultationMembers.consultationId, id))
    .orderBy(asc(users.displayName));
  return rows.map((r) => ({ userId: r.userId, displayName: r.displayName, title: r.title, answer: r.answer ? toAnswer(r.answer) : null }));
}

export function tallyOf(members: readonly ConsultationMember[]): ConsultationTally {
  const t = { agree: 0, disagree: 0, other: 0, none: 0 };
  for (const m of members) {
    t[m.answer?.choice ?? 'none'] += 1;
  }
  return t;
}

export async function toConsultation(db: Executor, row: ConsultationRow, user: AuthUser, now = new Date()): Promise<Consultation> {
  const canManage = canManageConsultations(user);
  const members = await consultationMembersWithAnswers(db, row.id);
  const me = members.find((m) => m.userId === user.id);
  const docs = await db.select().from(consultationDocuments).where(eq(consultationDocuments.consultationId, row.id)).orderBy(asc(consultationDocuments.createdAt));
  const closed = row.status === 'closed';
  return {
    id: row.id,
    title: row.title,
    question: row.question,
    status: row.status,
    deadline: row.deadline.toISOString(),
    deadlinePassed: row.deadline.getTime() <= now.getTime(),
    requireSignature: row.requireSignature,
    createdAt: row.createdAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
    memberCount: members.length,
    answeredCount: members.filter((m) => m.answer).length,
    canManage,
    isMember: !!me,
    myAnswer: me?.answer ?? null,
    documents: docs.map((d) => ({ id: d.id, name: d.name, size: d.size, pages: d.pages, url: `/api/consultations/${row.id}/documents/${d.id}/content` })),
    members: canManage ? members : [],
    tally: canManage || closed ? tallyOf(members) : null,
    reportUrl: closed && row.reportSha256 ? `/api/consultations/${row.id}/report` : null,
  };
}

/** Consultations the user sees: managers all, members theirs; newest first. */
export async function visibleConsultationRows(db: Executor, user: AuthUser, status?: 'open' | 'closed'): Promise<ConsultationRow[]> {
  const where = status ? eq(consultations.status, status) : undefined;
  if (canManageConsultations(user)) {
    return db.select().from(consultations).where(where).orderBy(asc(consultations.deadline));
  }
  const mine = db.select({ id: consultationMembers.consultationId }).from(consultationMembers).where(eq(consultationMembers.userId, user.id));
  return db
    .select()
    .from(consultations)
    .where(where ? and(where, inArray(consultations.id, mine)) : inArray(consultations.id, mine))
    .orderBy(asc(consultations.deadline));
}
