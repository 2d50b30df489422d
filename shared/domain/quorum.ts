/**
 * Quorum rule (Luật Tổ chức chính quyền địa phương 2015, Art. 78 as amended: a People's Council session
 * proceeds when at least two thirds of all delegates attend). Configurable per council and meeting as
 * num/den. Integer arithmetic only: `present * den >= total * num`, so 2/3 of 30 is exactly 20.
 */
export interface QuorumRule {
  readonly num: number;
  readonly den: number;
}

export const DEFAULT_QUORUM: QuorumRule = { num: 2, den: 3 };

export interface QuorumState {
  readonly present: number;
  readonly total: number;
  /** Smallest number of present members that meets the rule. */
  readonly required: number;
  readonly met: boolean;
  readonly num: number;
  readonly den: number;
}

function checkRule(rule: QuorumRule): void {
  if (!Number.isInteger(rule.num) || !Number.isInteger(rule.den) || rule.den <= 0 || rule.num < 0 || rule.num > rule.den) {
    throw new RangeError(`Invalid quorum rule ${rule.num}/${rule.den}`);
  }
}

/** ceil(total * num / den) without floating point. */
export function quorumRequired(total: number, rule: QuorumRule = DEFAULT_QUORUM): number {
  checkRule(rule);
  return Math.floor((total * rule.num + rule.den - 1) / rule.den);
}

export function quorum(present: number, total: number, rule: QuorumRule = DEFAULT_QUORUM): QuorumState {
  checkRule(rule);
  if (!Number.isInteger(present) || !Number.isInteger(total) || present < 0 || total < 0 || present > total) {
    throw new RangeError(`Invalid attendance ${present}/${total}`);
  }
  // An empty body has no quorum: nobody can decide anything.
  const met = total > 0 && present * rule.den >= total * rule.num;
  return { present, total, required: quorumRequired(total, rule), met, num: rule.num, den: rule.den };
}
