import { describe, expect, it } from 'vitest';
import { baseSize, electionOutcome, meetsThreshold, percentOf, Threshold, votesNeeded } from '../../shared/domain/majority';

const gtHalf = { kind: 'gt_half' } as const;
const twoThirds = { kind: 'ge_two_thirds' } as const;

describe('majority rules', () => {
  it('> 1/2 of all members: exactly half is not enough', () => {
    expect(meetsThreshold(15, 30, gtHalf)).toBe(false);
    expect(meetsThreshold(16, 30, gtHalf)).toBe(true);
    expect(meetsThreshold(16, 31, gtHalf)).toBe(true);
    expect(meetsThreshold(15, 31, gtHalf)).toBe(false);
    expect(votesNeeded(30, gtHalf)).toBe(16);
    expect(votesNeeded(31, gtHalf)).toBe(16);
  });
  it('≥ 2/3: exactly two thirds passes', () => {
    expect(meetsThreshold(20, 30, twoThirds)).toBe(true);
    expect(meetsThreshold(19, 30, twoThirds)).toBe(false);
    expect(votesNeeded(30, twoThirds)).toBe(20);
    expect(votesNeeded(31, twoThirds)).toBe(21);
  });
  it('custom fractions, strict and not, agree with votesNeeded at every size', () => {
    const rules = [
      { kind: 'custom', num: 3, den: 5, strict: true },
      { kind: 'custom', num: 3, den: 5, strict: false },
      { kind: 'custom', num: 1, den: 3, strict: false },
      gtHalf,
      twoThirds,
    ] as const;
    for (const t of rules) {
      for (let base = 1; base <= 120; base++) {
        const need = votesNeeded(base, t);
        expect(meetsThreshold(need, base, t)).toBe(true);
        expect(meetsThreshold(need - 1, base, t)).toBe(false);
      }
    }
  });
  it('never passes on an empty base', () => {
    expect(meetsThreshold(0, 0, gtHalf)).toBe(false);
    expect(percentOf(3, 0)).toBe(0);
  });
  it('selects the base', () => {
    const c = { all: 30, present: 22, cast: 20 };
    expect(baseSize('all', c)).toBe(30);
    expect(baseSize('present', c)).toBe(22);
    expect(baseSize('cast', c)).toBe(20);
  });
  it('percent has two decimals', () => {
    expect(percentOf(1, 3)).toBe(33.33);
    expect(percentOf(2, 3)).toBe(66.67);
    expect(percentOf(16, 30)).toBe(53.33);
  });
  it('validates custom thresholds', () => {
    expect(Threshold.safeParse({ kind: 'custom', num: 4, den: 3, strict: true }).success).toBe(false);
    expect(Threshold.safeParse({ kind: 'custom', num: 0.5, den: 3, strict: true }).success).toBe(false);
    expect(Threshold.safeParse({ kind: 'gt_half' }).success).toBe(true);
  });
  it('elects the top candidates that reach the threshold, with ties for the last seat left open', () => {
    expect(electionOutcome({ c0: 20, c1: 18, c2: 10 }, 30, gtHalf, 2)).toEqual({ elected: ['c0', 'c1'], tie: false });
    expect(electionOutcome({ c0: 20, c1: 18, c2: 17 }, 30, gtHalf, 2)).toEqual({ elected: ['c0', 'c1'], tie: false });
    expect(electionOutcome({ c0: 20, c1: 18, c2: 18 }, 30, gtHalf, 2)).toEqual({ elected: ['c0'], tie: true });
    expect(electionOutcome({ c0: 15, c1: 14 }, 30, gtHalf, 1)).toEqual({ elected: [], tie: false });
  });
});
