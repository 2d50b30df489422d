import type { TFunction } from 'i18next';
import type { PollView } from '../../../shared/room/events';

/** Yes/No/Abstain are translated by option id; candidates keep their names. */
export function optionLabel(t: TFunction, poll: Pick<PollView, 'options'>, id: string): string {
  if (id === 'yes' || id === 'no' || id === 'abstain') {
    return t(`vote.options.${id}`);
  }
  return poll.options.find((o) => o.id === id)?.label ?? id;
}
