import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minutesFormat } from '../../server/minutes/format';

/**
 * The minutes state times in the council's zone whatever the server's zone: this file runs the
 * process in Los Angeles (TZ set before any date is formatted) and checks Vietnamese and other zones.
 */
describe('minutes formatting', () => {
  const saved = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'America/Los_Angeles';
  });
  afterAll(() => {
    process.env.TZ = saved;
  });

  // 2026-12-01 01:30 UTC: still 30 November in Los Angeles, 08:30 on 1 December in Hà Nội.
  const at = new Date('2026-12-01T01:30:00Z');

  it('runs under a server zone different from the council', () => {
    expect(at.getDate()).toBe(30);
    expect(at.getHours()).toBe(17);
  });

  it("writes times in the council's zone, Vietnamese style", () => {
    const f = minutesFormat('vi', 'Asia/Ho_Chi_Minh');
    expect(f.dateTime(at)).toBe('08 giờ 30 phút, ngày 01/12/2026 (GMT+7)');
    expect(f.time(at)).toBe('08:30');
    expect(f.date(at)).toBe('01/12/2026');
  });

  it('writes English minutes in the same zone, and another council in its own', () => {
    expect(minutesFormat('en', 'Asia/Ho_Chi_Minh').dateTime(at)).toBe('08:30 on 1 December 2026 (GMT+7)');
    expect(minutesFormat('vi', 'Europe/Paris').dateTime(at)).toBe('02 giờ 30 phút, ngày 01/12/2026 (GMT+1)');
    expect(minutesFormat('en', 'UTC').time(at)).toBe('01:30');
    expect(minutesFormat('en', 'UTC').dateTime(at)).toContain('(GMT+0)');
    // Midnight is 00, not 24.
    expect(minutesFormat('vi', 'Asia/Ho_Chi_Minh').time(new Date('2026-12-01T17:05:00Z'))).toBe('00:05');
  });

  it('writes numbers in the language format: 40,00 % in Vietnamese, 40.00% in English', () => {
    const vi = minutesFormat('vi', 'Asia/Ho_Chi_Minh');
    expect(vi.percent(40)).toBe('40,00 %');
    expect(vi.percent(66.666)).toBe('66,67 %');
    expect(vi.count(1234)).toBe('1.234');
    const en = minutesFormat('en', 'Asia/Ho_Chi_Minh');
    expect(en.percent(40)).toBe('40.00%');
    expect(en.count(1234)).toBe('1,234');
  });
});
