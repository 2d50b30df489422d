import { describe, expect, it } from 'vitest';
import { quorum, quorumRequired } from '../../shared/domain/quorum';

describe('quorum (≥ 2/3 of all members by default)', () => {
  it('is met exactly at two thirds, with no float rounding', () => {
    expect(quorum(20, 30).met).toBe(true);
    expect(quorum(19, 30).met).toBe(false);
    expect(quorumRequired(30)).toBe(20);
    // 2/3 of 31 = 20.67 → 21 needed.
    expect(quorum(20, 31).met).toBe(false);
    expect(quorum(21, 31)).toMatchObject({ met: true, required: 21 });
    // Large councils: 0.1 + 0.2 style errors would flip these.
    expect(quorum(200_000, 300_000).met).toBe(true);
    expect(quorum(199_999, 300_000).met).toBe(false);
  });
  it('uses the configured fraction', () => {
    expect(quorum(16, 30, { num: 1, den: 2 }).met).toBe(true);
    expect(quorum(15, 30, { num: 1, den: 2 }).met).toBe(true);
    expect(quorum(14, 30, { num: 1, den: 2 }).met).toBe(false);
    expect(quorum(30, 30, { num: 1, den: 1 }).met).toBe(true);
    expect(quorum(29, 30, { num: 1, den: 1 }).met).toBe(false);
  });
  it('has no quorum with no members and rejects impossible input', () => {
    expect(quorum(0, 0).met).toBe(false);
    expect(() => quorum(5, 3)).toThrow(RangeError);
    expect(() => quorum(-1, 3)).toThrow(RangeError);
    expect(() => quorum(1, 3, { num: 3, den: 2 })).toThrow(RangeError);
    expect(() => quorum(1, 3, { num: 1, den: 0 })).toThrow(RangeError);
  });
});
