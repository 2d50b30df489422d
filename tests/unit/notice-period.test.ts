import { describe, expect, it } from 'vitest';
import { checkNotice, workingDaysBetween } from '../../shared/domain/notice-period';

// 2026-12-07 is a Monday. Times are Vietnam time (+07:00).
const at = (s: string) => new Date(s);

describe('notice period before a regular meeting', () => {
  it('counts whole working days strictly between the sending day and the meeting day', () => {
    expect(workingDaysBetween(at('2026-12-07T09:00:00+07:00'), at('2026-12-11T08:00:00+07:00'))).toBe(3); // Tue, Wed, Thu
    expect(workingDaysBetween(at('2026-12-08T09:00:00+07:00'), at('2026-12-11T08:00:00+07:00'))).toBe(2);
    // Sent on a Friday for the next Wednesday: Mon and Tue only.
    expect(workingDaysBetween(at('2026-12-11T16:00:00+07:00'), at('2026-12-16T08:00:00+07:00'))).toBe(2);
    expect(workingDaysBetween(at('2026-12-07T09:00:00+07:00'), at('2026-12-07T14:00:00+07:00'))).toBe(0);
  });

  it('uses the Vietnamese calendar day, not UTC', () => {
    // 23:30 UTC on Sunday is 06:30 Monday in Vietnam: Monday is the sending day and does not count.
    expect(workingDaysBetween(at('2026-12-06T23:30:00Z'), at('2026-12-11T08:00:00+07:00'))).toBe(3);
  });

  it('warns for a regular meeting under 3 working days, never for an extraordinary one', () => {
    expect(checkNotice(at('2026-12-08T09:00:00+07:00'), at('2026-12-11T08:00:00+07:00'), false)).toEqual({ workingDays: 2, required: 3, short: true });
    expect(checkNotice(at('2026-12-08T09:00:00+07:00'), at('2026-12-11T08:00:00+07:00'), true).short).toBe(false);
    expect(checkNotice(at('2026-12-07T09:00:00+07:00'), at('2026-12-11T08:00:00+07:00'), false).short).toBe(false);
  });
});
