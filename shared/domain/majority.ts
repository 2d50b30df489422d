/**
 * Majority rules for polls. Default from Luật Tổ chức chính quyền địa phương: a resolution passes with
 * MORE THAN HALF of ALL delegates voting yes (base "all", threshold > 1/2). Configurable per poll:
 * base all | present | cast, threshold > 1/2, ≥ 2/3, or a custom fraction (strict or not).
 * Integer arithmetic only (`yes * den > base * num`), so there is no rounding at the boundary.
 */
import { z } from 'zod';

export const MajorityBase = z.enum(['all', 'present', 'cast']);
export type MajorityBase = z.infer<typeof MajorityBase>;

// Strict objects: an unknown key is refused, never silently dropped (docs/protocol.md).
export const Threshold = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('gt_half') }),
  z.strictObject({ kind: z.literal('ge_two_thirds') }),
  z.strictObject({
    kind: z.literal('custom'),
    num: z.number().int().min(1).max(1000),
    den: z.number().int().min(1).max(1000),
    /** true: strictly more than num/den; false: at least num/den. */
    strict: z.boolean(),
  }).refine((t) => t.num <= t.den, { message: 'num must not exceed den' }),
]);
export type Threshold = z.infer<typeof Threshold>;

export interface Fraction {
  readonly num: number;
  readonly den: number;
  readonly strict: boolean;
}

export function thresholdFraction(t: Threshold): Fraction {
  switch (t.kind) {
    case 'gt_half':
      return { num: 1, den: 2, strict: true };
    case 'ge_two_thirds':
      return { num: 2, den: 3, strict: false };
    case 'custom':
      return { num: t.num, den: t.den, strict: t.strict };
  }
}

export interface BaseCounts {
  /** All voting members of the meeting. */
  readonly all: number;
  /** Voting members present when the poll closed (or now, while open). */
  readonly present: number;
  /** Ballots cast, abstentions included ("Không biểu quyết" is a ballot). */
  readonly cast: number;
}

export function baseSize(base: MajorityBase, counts: BaseCounts): number {
  switch (base) {
    case 'all':
      return counts.all;
    case 'present':
      return counts.present;
    case 'cast':
      return counts.cast;
  }
}

/** Whether `votes` out of `base` meets the threshold; a base of 0 never passes. */
export function meetsThreshold(votes: number, base: number, t: Threshold): boolean {
  if (base <= 0) {
    return false;
  }
  const f = thresholdFraction(t);
  return f.strict ? votes * f.den > base * f.num : votes * f.den >= base * f.num;
}

/** Smallest number of votes that meets the threshold for this base. */
export function votesNeeded(base: number, t: Threshold): number {
  if (base <= 0) {
    return 1;
  }
  const f = thresholdFraction(t);
  const exact = base * f.num;
  // strict: smallest v with v*den > exact; otherwise v*den >= exact.
  return f.strict ? Math.floor(exact / f.den) + 1 : Math.floor((exact + f.den - 1) / f.den);
}

/** Percentage with two decimals, computed from integers (display only; decisions use meetsThreshold). */
export function percentOf(votes: number, base: number): number {
  if (base <= 0) {
    return 0;
  }
  return Math.round((votes * 10000) / base) / 100;
}

export interface ElectionOutcome {
  /** Candidates elected, most votes first (at most `seats`). */
  readonly elected: string[];
  /** True when candidates tied for the last seat: none of the tied ones is elected; a new round decides. */
  readonly tie: boolean;
}

/** Election: a candidate needs the threshold; of those, the `seats` with most votes win. */
export function electionOutcome(
  votes: Readonly<Record<string, number>>,
  base: number,
  t: Threshold,
  seats: number,
): ElectionOutcome {
  const qualified = Object.entries(votes)
    .filter(([, v]) => meetsThreshold(v, base, t))
    .sort((a, b) => b[1] - a[1]);
  if (qualified.length <= seats) {
    return { elected: qualified.map(([id]) => id), tie: false };
  }
  const cut = qualified[seats - 1]?.[1] ?? 0;
  const next = qualified[seats]?.[1] ?? -1;
  if (cut !== next) {
    return { elected: qualified.slice(0, seats).map(([id]) => id), tie: false };
  }
  return { elected: qualified.filter(([, v]) => v > cut).map(([id]) => id), tie: true };
}
