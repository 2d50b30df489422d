import { and, eq, inArray, isNotNull, lte, notInArray } from 'drizzle-orm';
import { councils, taskReminders, tasks, users } from '../db/schema';
import type { AppContext } from '../http/context';
import type { Closable } from '../http/module';
import { startSweep } from '../http/sweep';
import { daysBetween, localDate } from '../../shared/time-zone';
import { taskMail } from './mail-text';

type Kind = 'before_due' | 'overdue';

/** Which reminder a still-open task is due for today (council zone), if any. */
export function reminderKind(dueDate: string, today: string, leadDays: number): Kind | null {
  const left = daysBetween(today, dueDate);
  if (left < 0) {
    return 'overdue';
  }
  return left <= leadDays ? 'before_due' : null;
}

/**
 * Mails the assignee of each open task once before its due date (`taskReminderLeadDays` ahead, in the
 * council's time zone) and once when it becomes overdue. Like the consultation reminders
 * (server/consultations/reminders.ts), what is due is computed from the database on every sweep, and
 * the reminder row is claimed (ON CONFLICT DO NOTHING) before the mail goes: with several nodes only
 * the claimer sends; a failed send releases the claim for the next sweep. `now` is injectable (tests).
 */
export async function sendDueTaskReminders(ctx: AppContext, now = new Date()): Promise<number> {
  // Every zone is within a day of UTC: tasks due later than UTC today + lead + 1 cannot be due yet.
  const horizon = new Date(now.getTime() + (ctx.config.taskReminderLeadDays + 1) * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const rows = await ctx.db
    .select({ t: tasks, email: users.email, displayName: users.displayName, timeZone: councils.timeZone })
    .from(tasks)
    .innerJoin(users, eq(users.id, tasks.assigneeId))
    .innerJoin(councils, eq(councils.id, tasks.councilId))
    .where(
      and(
        notInArray(tasks.status, ['done', 'cancelled']),
        lte(tasks.dueDate, horizon),
        isNotNull(users.email),
        eq(users.disabled, false),
      ),
    );
  if (rows.length === 0) {
    return 0;
  }
  const claimed = new Set(
    (
      await ctx.db
        .select({ taskId: taskReminders.taskId, kind: taskReminders.kind })
        .from(taskReminders)
        .where(
          inArray(
            taskReminders.taskId,
            rows.map((r) => r.t.id),
          ),
        )
    ).map((c) => `${c.taskId}:${c.kind}`),
  );
  let sent = 0;
  for (const r of rows) {
    const kind = reminderKind(r.t.dueDate, localDate(now, r.timeZone), ctx.config.taskReminderLeadDays);
    if (!kind || !r.email || claimed.has(`${r.t.id}:${kind}`)) {
      continue;
    }
    const claim = await ctx.db
      .insert(taskReminders)
      .values({ taskId: r.t.id, kind })
      .onConflictDoNothing()
      .returning({ taskId: taskReminders.taskId });
    if (claim.length === 0) {
      continue;
    }
    const mail = taskMail(kind, {
      displayName: r.displayName,
      title: r.t.title,
      detail: r.t.detail,
      dueDate: r.t.dueDate,
      url: `${ctx.publicUrl()}/tasks`,
    });
    try {
      await ctx.mailer.send(r.email, mail.subject, mail.text);
      sent += 1;
    } catch (err) {
      ctx.log.warn({ err, taskId: r.t.id, kind }, 'task reminder failed; retried on the next sweep');
      await ctx.db
        .delete(taskReminders)
        .where(and(eq(taskReminders.taskId, r.t.id), eq(taskReminders.kind, kind)));
    }
  }
  return sent;
}

/** Reminders at start and every reminderIntervalMs (server/http/sweep.ts). */
export function startTaskReminderScheduler(ctx: AppContext): Closable {
  return startSweep(ctx, 'task reminder', sendDueTaskReminders);
}
