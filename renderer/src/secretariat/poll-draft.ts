import type { Correction, PollCreate, PollKind, PollView } from '../../../shared/room/events';
import type { MajorityBase, Threshold } from '../../../shared/domain/majority';

/**
 * The prepared-poll form as plain data, with the conversions to
 * and from the room protocol. Pure, so the rules are unit-tested without a browser.
 */
export type ThresholdChoice = 'gt_half' | 'ge_two_thirds' | 'custom';

export interface DraftForm {
  readonly title: string;
  readonly kind: PollKind;
  /** Election: one candidate name per line. */
  readonly candidates: string;
  readonly maxChoices: number;
  readonly secret: boolean;
  readonly base: MajorityBase;
  readonly threshold: ThresholdChoice;
  readonly customNum: number;
  readonly customDen: number;
  /** Custom rule: strictly more than num/den (true) or at least (false). */
  readonly customStrict: boolean;
  readonly correction: Correction;
  readonly countdown: boolean;
  readonly minutes: number;
  readonly hideTally: boolean;
}

/** Defaults follow the law (more than half of all members) and a named, correctable ballot. */
export const EMPTY_DRAFT: DraftForm = {
  title: '',
  kind: 'yes_no_abstain',
  candidates: '',
  maxChoices: 1,
  secret: false,
  base: 'all',
  threshold: 'gt_half',
  customNum: 3,
  customDen: 5,
  customStrict: false,
  correction: 'change_until_close',
  countdown: false,
  minutes: 2,
  hideTally: false,
};

/** A new draft for an agenda item: elections default to a secret ballot, as councils usually elect. */
export function draftForItem(kind: 'report' | 'resolution' | 'election', title: string): DraftForm {
  if (kind === 'election') {
    return { ...EMPTY_DRAFT, title, kind: 'election', secret: true, correction: 'final' };
  }
  return { ...EMPTY_DRAFT, title: kind === 'resolution' ? title : '' };
}

export function candidateList(text: string): string[] {
  return text
    .split('\n')
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
}

export type DraftProblem = 'title' | 'candidates' | 'duplicates' | 'maxChoices' | 'fraction' | 'minutes';

/** What keeps the form from being saved (i18n keys under prep.errors). */
export function draftProblems(d: DraftForm): DraftProblem[] {
  const out: DraftProblem[] = [];
  if (!d.title.trim()) {
    out.push('title');
  }
  if (d.kind === 'election') {
    const names = candidateList(d.candidates);
    if (names.length === 0) {
      out.push('candidates');
    } else if (new Set(names).size !== names.length) {
      out.push('duplicates');
    }
    if (!Number.isInteger(d.maxChoices) || d.maxChoices < 1 || (names.length > 0 && d.maxChoices > names.length)) {
      out.push('maxChoices');
    }
  }
  if (d.threshold === 'custom') {
    const ok = Number.isInteger(d.customNum) && Number.isInteger(d.customDen) && d.customNum >= 1 && d.customDen <= 1000 && d.customNum <= d.customDen;
    if (!ok) {
      out.push('fraction');
    }
  }
  if (d.countdown && !(d.minutes > 0 && d.minutes <= 24 * 60)) {
    out.push('minutes');
  }
  return out;
}

export type DraftSettings = Omit<PollCreate, 'meetingId' | 'itemId'>;

function threshold(d: DraftForm): Threshold {
  switch (d.threshold) {
    case 'gt_half':
      return { kind: 'gt_half' };
    case 'ge_two_thirds':
      return { kind: 'ge_two_thirds' };
    case 'custom':
      return { kind: 'custom', num: d.customNum, den: d.customDen, strict: d.customStrict };
  }
}

/** The poll:create / poll:edit settings for a valid form. */
export function toSettings(d: DraftForm): DraftSettings {
  const election = d.kind === 'election';
  return {
    title: d.title.trim(),
    kind: d.kind,
    ...(election ? { candidates: candidateList(d.candidates), maxChoices: d.maxChoices } : {}),
    secret: d.secret,
    base: d.base,
    threshold: threshold(d),
    // Secret ballots cannot be corrected: nothing links a voter to a ballot (docs/protocol.md).
    correction: d.secret ? 'final' : d.correction,
    ...(d.countdown ? { durationSeconds: Math.round(d.minutes * 60) } : {}),
    hideTally: d.hideTally,
  };
}

/** The form for an existing poll (editing a draft). */
export function fromPoll(p: PollView): DraftForm {
  const th = p.threshold;
  const choice: ThresholdChoice =
    th.num === 1 && th.den === 2 && th.strict ? 'gt_half' : th.num === 2 && th.den === 3 && !th.strict ? 'ge_two_thirds' : 'custom';
  return {
    title: p.title,
    kind: p.kind,
    candidates: p.kind === 'election' ? p.options.map((o) => o.label).join('\n') : '',
    maxChoices: p.maxChoices,
    secret: p.secret,
    base: p.base,
    threshold: choice,
    customNum: choice === 'custom' ? th.num : EMPTY_DRAFT.customNum,
    customDen: choice === 'custom' ? th.den : EMPTY_DRAFT.customDen,
    customStrict: choice === 'custom' ? th.strict : EMPTY_DRAFT.customStrict,
    correction: p.correction,
    countdown: p.durationSeconds !== null,
    minutes: p.durationSeconds !== null ? p.durationSeconds / 60 : EMPTY_DRAFT.minutes,
    hideTally: p.hideTally,
  };
}
