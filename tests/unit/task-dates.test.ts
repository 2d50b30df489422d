import { describe, expect, it } from 'vitest';
import { daysBetween, localDate } from '../../shared/time-zone';
import { reminderKind } from '../../server/tasks/reminders';
import { isOverdue } from '../../server/tasks/service';

describe('calendar days of a council', () => {
  it('reads the day in the council’s zone, whatever the server’s', () => {
    // 17:30 UTC on 1 Dec is already 2 Dec in Hà Nội, still 1 Dec in Berlin.
    const at = new Date('2026-12-01T17:30:00Z');
    expect(localDate(at, 'Asia/Ho_Chi_Minh')).toBe('2026-12-02');
    expect(localDate(at, 'Europe/Berlin')).toBe('2026-12-01');
    expect(daysBetween('2026-12-30', '2027-01-02')).toBe(3);
    expect(daysBetween('2026-12-02', '2026-12-01')).toBe(-1);
  });

  it('reminds before the due date within the lead, then once overdue from the next day', () => {
    expect(reminderKind('2026-12-05', '2026-12-02', 1)).toBeNull();
    expect(reminderKind('2026-12-05', '2026-12-04', 1)).toBe('before_due');
    expect(reminderKind('2026-12-05', '2026-12-05', 1)).toBe('before_due');
    expect(reminderKind('2026-12-05', '2026-12-06', 1)).toBe('overdue');
  });

  it('is overdue after its day in the council’s zone unless done or cancelled', () => {
    const evening = new Date('2026-12-05T17:30:00Z'); // 6 Dec 00:30 in Hà Nội
    expect(isOverdue({ dueDate: '2026-12-05', status: 'open' }, 'Asia/Ho_Chi_Minh', evening)).toBe(true);
    expect(isOverdue({ dueDate: '2026-12-05', status: 'open' }, 'Europe/Berlin', evening)).toBe(false);
    expect(isOverdue({ dueDate: '2026-12-05', status: 'done' }, 'Asia/Ho_Chi_Minh', evening)).toBe(false);
    expect(isOverdue({ dueDate: '2026-12-05', status: 'cancelled' }, 'Asia/Ho_Chi_Minh', evening)).toBe(false);
  });
});
