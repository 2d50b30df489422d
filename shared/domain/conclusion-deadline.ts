import { localDate } from '../time-zone';

/**
 * The conclusion notice is due 5 working days after the meeting (the People's Committee's working
 * rules). Counted on calendar days in the council's time zone: the deadline is the 5th working day
 * (Monday to Friday) after the day the meeting closed. Public holidays are not known here, so a
 * deadline across Tết is earlier than the real one; the flag warns, it never refuses.
 */
export const CONCLUSION_NOTICE_WORKING_DAYS = 5;

/** Calendar day `n` working days (Mon–Fri) after `day` (YYYY-MM-DD). */
export function addWorkingDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  let left = n;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const weekday = d.getUTCDay();
    if (weekday !== 0 && weekday !== 6) {
      left -= 1;
    }
  }
  return d.toISOString().slice(0, 10);
}

/** The notice's deadline (YYYY-MM-DD) for a meeting closed at `closedAt`, in the council's zone. */
export function conclusionNoticeDeadline(closedAt: Date, timeZone: string): string {
  return addWorkingDays(localDate(closedAt, timeZone), CONCLUSION_NOTICE_WORKING_DAYS);
}

/**
 * Overdue: the notice was not issued and signed by the end of the deadline day (in the council's zone).
 * `signedAt` is when the chair signed it (null when not yet); `now` is the clock.
 */
export function conclusionNoticeOverdue(deadline: string, signedAt: Date | null, now: Date, timeZone: string): boolean {
  const done = signedAt ?? now;
  return localDate(done, timeZone) > deadline;
}
