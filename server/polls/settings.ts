import type { z } from 'zod';
import { thresholdFraction } from '../../shared/domain/majority';
import type { PollCreate } from '../../shared/room/schemas';
import type { PollOption } from '../../shared/room/snapshot';

/** Labels of the statutory options (Tán thành / Không tán thành / Không biểu quyết). */
export const YES_NO_ABSTAIN: PollOption[] = [
  { id: 'yes', label: 'Tán thành' },
  { id: 'no', label: 'Không tán thành' },
  { id: 'abstain', label: 'Không biểu quyết' },
];

/** The stored columns for a poll's settings: one mapping for poll:create and poll:edit. */
export function pollSettingsColumns(input: z.output<typeof PollCreate>) {
  const t = thresholdFraction(input.threshold);
  const options = input.kind === 'election' ? (input.candidates ?? []).map((label, i) => ({ id: `c${i}`, label })) : YES_NO_ABSTAIN;
  return {
    title: input.title,
    kind: input.kind,
    options: JSON.stringify(options),
    maxChoices: input.kind === 'election' ? (input.maxChoices ?? 1) : 1,
    secret: input.secret,
    base: input.base,
    thresholdNum: t.num,
    thresholdDen: t.den,
    thresholdStrict: t.strict,
    correction: input.correction,
    durationSeconds: input.durationSeconds ?? null,
    hideTally: input.hideTally,
  };
}
