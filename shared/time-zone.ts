import { z } from 'zod';

/** Vietnam's zone: the default for a council's papers (minutes, notices, exports). */
export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** True when the runtime's Intl knows the IANA zone name (Intl throws a RangeError otherwise). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name such as "Asia/Ho_Chi_Minh", refused with a clear message when unknown. */
export const TimeZone = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(isTimeZone, { message: 'Unknown time zone: use an IANA name such as Asia/Ho_Chi_Minh' });

/** The calendar day (YYYY-MM-DD) that instant `d` falls on in zone `timeZone`. */
export function localDate(d: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Whole days from calendar day `from` to `to` (both YYYY-MM-DD; negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
