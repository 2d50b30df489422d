import { localDate } from '../time-zone';
import { addWorkingDays } from './working-days';

/**
 * The conclusion notice is due 5 working days after the meeting (the People's Committee's working
 * rules). Counted on calendar days in the council's time zone: the deadline is the 5th working day
 * after the day the meeting closed, skipping weekends, the fixed public holidays and the council's
 * own non-working days (./working-days.ts). The flag warns, it never refuses.
 */
export const CONCLUSION_NOTICE_WORKING_DAYS = 5;

/**
 * The notice's deadline (YYYY-MM-DD) for a meeting closed at `closedAt`, in the council's zone;
 * `nonWorking` is the council's list of non-working days (YYYY-MM-DD).
 */
export function conclusionNoticeDeadline(closedAt: Date, timeZone: string, nonWorking: ReadonlySet<string> = new Set()): string {
  return addWorkingDays(localDate(closedAt, timeZone), CONCLUSION_NOTICE_WORKING_DAYS, nonWorking);
}

/**
 * Overdue: the notice was not issued and signed by the end of the deadline day (in the council's zone).
 * `signedAt` is when the chair signed it (null when not yet); `now` is the clock.
 */
export function conclusionNoticeOverdue(deadline: string, signedAt: Date | null, now: Date, timeZone: string): boolean {
  const done = signedAt ?? now;
  return localDate(done, timeZone) > deadline;
}
