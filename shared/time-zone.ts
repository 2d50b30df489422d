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
