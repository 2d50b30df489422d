/**
 * Working days of a council: Monday to Friday, less Vietnam's public holidays on fixed solar dates and
 * the days the council lists itself. Tết Nguyên đán and Giỗ Tổ Hùng Vương follow the lunar calendar
 * and the days off next to a holiday are announced each year, so they cannot be computed here: the
 * council's secretariat enters them as dates (`council_non_working_days`, docs/api.md "Non-working days").
 * A compensatory working Saturday is not modelled: Saturdays never count.
 */

/** Holidays on a fixed solar date every year (Labour Code 2019, art. 112): never working days. */
export const FIXED_PUBLIC_HOLIDAYS = [
  { month: 1, day: 1, key: 'newYear' },
  { month: 4, day: 30, key: 'reunification' },
  { month: 5, day: 1, key: 'labour' },
  { month: 9, day: 2, key: 'national' },
] as const;

export type FixedHolidayKey = (typeof FIXED_PUBLIC_HOLIDAYS)[number]['key'];

/** The fixed holiday falling on `day` (YYYY-MM-DD), or null. */
export function fixedHolidayOn(day: string): FixedHolidayKey | null {
  const month = Number(day.slice(5, 7));
  const date = Number(day.slice(8, 10));
  return FIXED_PUBLIC_HOLIDAYS.find((h) => h.month === month && h.day === date)?.key ?? null;
}

/** Whether `day` (YYYY-MM-DD) is a working day: a weekday, not a fixed holiday, not in `nonWorking`. */
export function isWorkingDay(day: string, nonWorking: ReadonlySet<string>): boolean {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && fixedHolidayOn(day) === null && !nonWorking.has(day);
}

/** Calendar day `day` + `n` whole days (YYYY-MM-DD in, YYYY-MM-DD out; no time zone involved). */
export function addCalendarDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * The calendar day `n` working days after `day`: the day itself never counts, whatever it is (a
 * meeting on a Saturday still starts the count on Monday). `nonWorking` holds the council's own days.
 */
export function addWorkingDays(day: string, n: number, nonWorking: ReadonlySet<string> = new Set()): string {
  let current = day;
  let left = n;
  while (left > 0) {
    current = addCalendarDays(current, 1);
    if (isWorkingDay(current, nonWorking)) {
      left -= 1;
    }
  }
  return current;
}
