/**
 * Notice before a regular meeting: members get the invitation at least 3 working days ahead
 * (the People's Committee's working rules). Counted in Vietnam's time zone (UTC+7, no daylight saving):
 * whole working days (Monday to Friday) strictly between the day the invitation is sent and the day of
 * the meeting. Public holidays are not known here, so a notice spanning Tết counts more days than it
 * really has; the check warns, it never refuses.
 */
export const REQUIRED_NOTICE_WORKING_DAYS = 3;

const VN_OFFSET_MS = 7 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** Days since the epoch of the calendar day `d` falls on in Vietnam. */
function vnDay(d: Date): number {
  return Math.floor((d.getTime() + VN_OFFSET_MS) / DAY_MS);
}

export function workingDaysBetween(sentAt: Date, meetingAt: Date): number {
  const from = vnDay(sentAt);
  const to = vnDay(meetingAt);
  let n = 0;
  for (let day = from + 1; day < to; day += 1) {
    // Day 0 (1970-01-01) was a Thursday (weekday 4, with 0 = Sunday … 6 = Saturday).
    const weekday = ((((day % 7) + 7) % 7) + 4) % 7;
    if (weekday !== 0 && weekday !== 6) {
      n += 1;
    }
  }
  return n;
}

export interface NoticeCheck {
  readonly workingDays: number;
  readonly required: number;
  /** True when a regular meeting gets less notice than required (a warning for the secretary). */
  readonly short: boolean;
}

export function checkNotice(sentAt: Date, meetingAt: Date, extraordinary: boolean): NoticeCheck {
  const workingDays = workingDaysBetween(sentAt, meetingAt);
  return { workingDays, required: REQUIRED_NOTICE_WORKING_DAYS, short: !extraordinary && workingDays < REQUIRED_NOTICE_WORKING_DAYS };
}
