import type { FastifyInstance } from 'fastify';
import { and, asc, eq, gte, lte } from 'drizzle-orm';
import { appendAudit } from '../audit/log';
import type { AuthUser } from '../auth/sessions';
import type { Executor } from '../db/client';
import { councilMembers, councilNonWorkingDays, councils } from '../db/schema';
import { forbidden, notFound } from '../errors';
import { requireUser, type AppContext } from '../http/context';
import { parse } from '../http/validate';
import { IdParams } from '../../shared/api/common';
import { AddNonWorkingDaysRequest, NonWorkingDayParams, type NonWorkingDayList } from '../../shared/api/non-working-days';
import { FIXED_PUBLIC_HOLIDAYS } from '../../shared/domain/working-days';
import { z } from 'zod';

/**
 * A council's non-working days: read by its members and admins (404 to anyone else, so the route
 * does not reveal the council), kept by admins and the council's secretariat (members whose account
 * is secretary). Deadlines counted in working days (the conclusion notice) read them through
 * `nonWorkingDays`.
 */

/** The council's own non-working days from `from` on (YYYY-MM-DD), as a set for the working-day rule. */
export async function nonWorkingDays(db: Executor, councilId: string | null, from: string): Promise<Set<string>> {
  if (!councilId) {
    return new Set();
  }
  const rows = await db
    .select({ day: councilNonWorkingDays.day })
    .from(councilNonWorkingDays)
    .where(and(eq(councilNonWorkingDays.councilId, councilId), gte(councilNonWorkingDays.day, from)));
  return new Set(rows.map((r) => r.day));
}

interface CalendarAccess {
  readonly canEdit: boolean;
}

async function calendarAccess(db: Executor, user: AuthUser, councilId: string): Promise<CalendarAccess> {
  const [council] = await db.select({ id: councils.id }).from(councils).where(eq(councils.id, councilId)).limit(1);
  if (!council) {
    throw notFound('Council');
  }
  if (user.role === 'admin') {
    return { canEdit: true };
  }
  const [member] = await db
    .select({ userId: councilMembers.userId })
    .from(councilMembers)
    .where(and(eq(councilMembers.councilId, councilId), eq(councilMembers.userId, user.id)))
    .limit(1);
  if (!member) {
    throw notFound('Council');
  }
  return { canEdit: user.role === 'secretary' };
}

const YearQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2099).optional() });

async function list(db: Executor, councilId: string, canEdit: boolean, year?: number): Promise<NonWorkingDayList> {
  const inYear = year === undefined ? [] : [gte(councilNonWorkingDays.day, `${year}-01-01`), lte(councilNonWorkingDays.day, `${year}-12-31`)];
  const rows = await db
    .select({ date: councilNonWorkingDays.day, name: councilNonWorkingDays.name })
    .from(councilNonWorkingDays)
    .where(and(eq(councilNonWorkingDays.councilId, councilId), ...inYear))
    .orderBy(asc(councilNonWorkingDays.day));
  return { councilId, days: rows, fixed: FIXED_PUBLIC_HOLIDAYS.map((h) => ({ ...h })), canEdit };
}

export function registerCalendarRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx;
  const base = '/api/councils/:id/non-working-days';

  app.get(base, async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    const { year } = parse(YearQuery, req.query ?? {}, 'query');
    const access = await calendarAccess(db, user, id);
    return list(db, id, access.canEdit, year);
  });

  app.post(base, async (req) => {
    const user = requireUser(req);
    const { id } = parse(IdParams, req.params, 'params');
    // The body is checked whole before anything is written: one bad date refuses the lot.
    const body = parse(AddNonWorkingDaysRequest, req.body, 'body');
    const access = await calendarAccess(db, user, id);
    if (!access.canEdit) {
      throw forbidden("Only an administrator or the council's secretariat can change its non-working days");
    }
    await db.transaction(async (tx) => {
      for (const d of body.days) {
        await tx
          .insert(councilNonWorkingDays)
          .values({ councilId: id, day: d.date, name: d.name, createdBy: user.id })
          .onConflictDoUpdate({ target: [councilNonWorkingDays.councilId, councilNonWorkingDays.day], set: { name: d.name } });
      }
      await appendAudit(tx, { actorId: user.id, meetingId: null, action: 'council.non_working_days.added', data: { councilId: id, days: body.days } });
    });
    return list(db, id, true);
  });

  app.delete(`${base}/:date`, async (req) => {
    const user = requireUser(req);
    const { id, date } = parse(NonWorkingDayParams, req.params, 'params');
    const access = await calendarAccess(db, user, id);
    if (!access.canEdit) {
      throw forbidden("Only an administrator or the council's secretariat can change its non-working days");
    }
    await db.transaction(async (tx) => {
      const gone = await tx
        .delete(councilNonWorkingDays)
        .where(and(eq(councilNonWorkingDays.councilId, id), eq(councilNonWorkingDays.day, date)))
        .returning({ day: councilNonWorkingDays.day });
      if (gone.length === 0) {
        throw notFound('Non-working day');
      }
      await appendAudit(tx, { actorId: user.id, meetingId: null, action: 'council.non_working_days.removed', data: { councilId: id, date } });
    });
    return list(db, id, true);
  });
}
