import { and, eq, gt, isNotNull, isNull, lte } from 'drizzle-orm';
import { consultationAnswers, consultationMembers, consultationReminders, consultations, users } from '../db/schema';
import type { AppContext } from '../http/context';
import type { Closable } from '../http/module';
import { startSweep } from '../http/sweep';
import { consultationMail } from './mail-text';

/**
 * Reminders before a consultation's deadline. What is due is computed from the database on every
 * sweep (open, deadline within the lead time, member has not answered, no reminder row yet), so a
 * restart neither forgets nor repeats one. The reminder row is inserted before the mail is sent
 * (ON CONFLICT DO NOTHING): with several nodes only the node that inserted it sends; a failed send
 * deletes the row so the next sweep tries again.
 */
export async function sendDueReminders(ctx: AppContext, now = new Date()): Promise<number> {
  const horizon = new Date(now.getTime() + ctx.config.reminderLeadMinutes * 60_000);
  const due = await ctx.db
    .select({
      consultationId: consultations.id,
      title: consultations.title,
      question: consultations.question,
      deadline: consultations.deadline,
      userId: users.id,
      email: users.email,
      displayName: users.displayName,
    })
    .from(consultationMembers)
    .innerJoin(consultations, eq(consultations.id, consultationMembers.consultationId))
    .innerJoin(users, eq(users.id, consultationMembers.userId))
    .leftJoin(consultationAnswers, and(eq(consultationAnswers.consultationId, consultationMembers.consultationId), eq(consultationAnswers.userId, consultationMembers.userId)))
    .leftJoin(
      consultationReminders,
      and(
        eq(consultationReminders.consultationId, consultationMembers.consultationId),
        eq(consultationReminders.userId, consultationMembers.userId),
        eq(consultationReminders.kind, 'before_deadline'),
      ),
    )
    .where(
      and(
        eq(consultations.status, 'open'),
        gt(consultations.deadline, now),
        lte(consultations.deadline, horizon),
        isNull(consultationAnswers.userId),
        isNull(consultationReminders.userId),
        isNotNull(users.email),
        eq(users.disabled, false),
      ),
    );
  let sent = 0;
  for (const r of due) {
    if (!r.email) {
      continue;
    }
    const claimed = await ctx.db
      .insert(consultationReminders)
      .values({ consultationId: r.consultationId, userId: r.userId, kind: 'before_deadline' })
      .onConflictDoNothing()
      .returning({ userId: consultationReminders.userId });
    if (claimed.length === 0) {
      continue;
    }
    const mail = consultationMail('reminder', { ...r, url: `${ctx.publicUrl()}/consultations/${r.consultationId}` });
    try {
      await ctx.mailer.send(r.email, mail.subject, mail.text);
      sent += 1;
    } catch (err) {
      ctx.log.warn({ err, consultationId: r.consultationId, userId: r.userId }, 'consultation reminder failed; retried on the next sweep');
      await ctx.db
        .delete(consultationReminders)
        .where(and(eq(consultationReminders.consultationId, r.consultationId), eq(consultationReminders.userId, r.userId), eq(consultationReminders.kind, 'before_deadline')));
    }
  }
  return sent;
}

/** Reminders at start and every reminderIntervalMs (server/http/sweep.ts). */
export function startReminderScheduler(ctx: AppContext): Closable {
  return startSweep(ctx, 'consultation reminder', sendDueReminders);
}
