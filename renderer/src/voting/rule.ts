import type { TFunction } from 'i18next';
import type { PollView } from '../../../shared/room/events';

type RuleOf = Pick<PollView, 'kind' | 'base' | 'threshold'>;

/** "1/2", "2/3": the fraction of the base the rule asks for. */
export function fractionText(th: PollView['threshold']): string {
  return `${th.num}/${th.den}`;
}

/**
 * The poll's majority rule in words, e.g. "Thông qua khi tán thành quá 1/2 tổng số đại biểu" or
 * "… ít nhất 2/3 …" (the chair, the delegates and the hall see which rule decides).
 */
export function ruleText(t: TFunction, poll: RuleOf): string {
  const vars = {
    op: t(poll.threshold.strict ? 'rule.op.gt' : 'rule.op.ge'),
    fraction: fractionText(poll.threshold),
    base: t(`rule.base.${poll.base}`),
  };
  return poll.kind === 'election' ? t('rule.elects', vars) : t('rule.passes', vars);
}

/** Short form for chips and lists: "≥ 2/3 · tổng số đại biểu". */
export function ruleShort(t: TFunction, poll: RuleOf): string {
  return `${poll.threshold.strict ? '>' : '≥'} ${fractionText(poll.threshold)} · ${t(`rule.base.${poll.base}`)}`;
}
