import { describe, expect, it } from 'vitest';
import { conclusionNoticeDeadline, conclusionNoticeOverdue } from '../../shared/domain/conclusion-deadline';
import { addWorkingDays } from '../../shared/domain/working-days';

const ZONE = 'Asia/Ho_Chi_Minh';

describe('conclusion notice deadline', () => {
  it('counts 5 working days, skipping weekends', () => {
    expect(addWorkingDays('2026-12-01', 5)).toBe('2026-12-08'); // Tuesday → next Tuesday
    expect(addWorkingDays('2026-12-04', 5)).toBe('2026-12-11'); // Friday → next Friday
    expect(addWorkingDays('2026-12-05', 5)).toBe('2026-12-11'); // Saturday → Friday
    expect(addWorkingDays('2026-12-30', 1)).toBe('2026-12-31');
  });

  it("takes the close day in the council's zone, not UTC", () => {
    // 20:00 UTC on Friday 4 Dec is already Saturday 5 Dec in Hanoi.
    const closed = new Date('2026-12-04T20:00:00Z');
    expect(conclusionNoticeDeadline(closed, ZONE)).toBe('2026-12-11');
    expect(conclusionNoticeDeadline(closed, 'UTC')).toBe('2026-12-11');
    // 18:00 UTC on Thursday 3 Dec is Friday 4 Dec in Hanoi: the deadline is Friday 11 Dec, not Thursday 10 Dec.
    expect(conclusionNoticeDeadline(new Date('2026-12-03T18:00:00Z'), ZONE)).toBe('2026-12-11');
    expect(conclusionNoticeDeadline(new Date('2026-12-03T18:00:00Z'), 'UTC')).toBe('2026-12-10');
  });

  it('is overdue only after the end of the deadline day in the zone, unless signed in time', () => {
    const deadline = '2026-12-11';
    // 16:59 UTC on 11 Dec is 23:59 in Hanoi: still in time.
    expect(conclusionNoticeOverdue(deadline, null, new Date('2026-12-11T16:59:00Z'), ZONE)).toBe(false);
    expect(conclusionNoticeOverdue(deadline, null, new Date('2026-12-11T17:00:00Z'), ZONE)).toBe(true);
    expect(conclusionNoticeOverdue(deadline, new Date('2026-12-10T03:00:00Z'), new Date('2027-01-01T00:00:00Z'), ZONE)).toBe(false);
    expect(conclusionNoticeOverdue(deadline, new Date('2026-12-12T03:00:00Z'), new Date('2027-01-01T00:00:00Z'), ZONE)).toBe(true);
  });
});
