import { describe, expect, it } from 'vitest';
import { addWorkingDays, fixedHolidayOn, isWorkingDay } from '../../shared/domain/working-days';
import { conclusionNoticeDeadline } from '../../shared/domain/conclusion-deadline';
import { AddNonWorkingDaysRequest } from '../../shared/api/non-working-days';

const ZONE = 'Asia/Ho_Chi_Minh';
// Tết Đinh Mùi 2027 falls on Saturday 6 Feb; a council lists its days off as dates.
const TET_2027 = new Set(['2027-02-04', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10']);

describe('working days', () => {
  it('never counts weekends or the fixed solar holidays', () => {
    expect(isWorkingDay('2026-12-05', new Set())).toBe(false); // Saturday
    expect(isWorkingDay('2026-12-06', new Set())).toBe(false); // Sunday
    expect(isWorkingDay('2026-12-07', new Set())).toBe(true);
    expect(fixedHolidayOn('2027-01-01')).toBe('newYear');
    expect(fixedHolidayOn('2026-04-30')).toBe('reunification');
    expect(fixedHolidayOn('2026-05-01')).toBe('labour');
    expect(fixedHolidayOn('2026-09-02')).toBe('national');
    expect(fixedHolidayOn('2026-09-03')).toBeNull();
    expect(isWorkingDay('2026-04-30', new Set())).toBe(false); // a Thursday, but a holiday
    expect(isWorkingDay('2026-09-02', new Set())).toBe(false); // a Wednesday, but a holiday
  });

  it("skips the council's own days", () => {
    expect(isWorkingDay('2027-02-04', TET_2027)).toBe(false);
    expect(isWorkingDay('2027-02-04', new Set())).toBe(true);
    // Tuesday 2 Feb + 5 working days: Wed 3, then Thu 4 – Wed 10 are off, so Thu 11, Fri 12, Mon 15, Tue 16.
    expect(addWorkingDays('2027-02-02', 5, TET_2027)).toBe('2027-02-16');
    expect(addWorkingDays('2027-02-02', 5)).toBe('2027-02-09');
  });

  it('counts across fixed holidays without being told', () => {
    // Tuesday 28 Apr 2026: Wed 29, (Thu 30 Apr, Fri 1 May off), Mon 4, Tue 5, Wed 6, Thu 7.
    expect(addWorkingDays('2026-04-28', 5)).toBe('2026-05-07');
    expect(addWorkingDays('2026-12-31', 1)).toBe('2027-01-04'); // 1 Jan is off, then the weekend
  });

  it('starts the count after the day itself, whatever that day is', () => {
    expect(addWorkingDays('2027-02-06', 1, TET_2027)).toBe('2027-02-11'); // Tết day itself
    expect(addWorkingDays('2026-12-01', 0)).toBe('2026-12-01');
  });
});

describe('conclusion notice deadline with non-working days', () => {
  it("moves the deadline past the council's days off, taken in its zone", () => {
    // 20:00 UTC on Monday 1 Feb 2027 is Tuesday 2 Feb in Hanoi.
    expect(conclusionNoticeDeadline(new Date('2027-02-01T20:00:00Z'), ZONE, TET_2027)).toBe('2027-02-16');
    expect(conclusionNoticeDeadline(new Date('2027-02-01T20:00:00Z'), ZONE)).toBe('2027-02-09');
  });
});

describe('non-working days request', () => {
  it('refuses impossible dates, duplicates, empty lists and unknown fields with a message', () => {
    const issue = (body: unknown) => AddNonWorkingDaysRequest.safeParse(body).error?.issues[0]?.message;
    expect(issue({ days: [{ date: '2027-02-30' }] })).toMatch(/YYYY-MM-DD/);
    expect(issue({ days: [{ date: '1999-12-31' }] })).toMatch(/2000 and 2099/);
    expect(issue({ days: [{ date: '2027-02-08' }, { date: '2027-02-08', name: 'Tết' }] })).toMatch(/twice/);
    expect(issue({ days: [] })).toMatch(/at least one/);
    expect(issue({ days: [{ date: '2027-02-08', colour: 'red' }] })).toBeDefined();
    expect(AddNonWorkingDaysRequest.parse({ days: [{ date: '2027-02-08', name: '  Tết Nguyên đán ' }] })).toEqual({
      days: [{ date: '2027-02-08', name: 'Tết Nguyên đán' }],
    });
  });
});
