import { useTranslation } from 'react-i18next';
import type { PollView } from '../../../shared/room/events';
import { useFormat } from '../i18n/format';
import { Countdown } from './countdown';

/**
 * An open poll's progress: "voted / eligible", the bar and the countdown. One component for the chair's
 * console and the hall display (`large`), so both always say the same thing.
 */
export function PollProgress({ poll, offsetMs, large = false }: Readonly<{ poll: PollView; offsetMs: number; large?: boolean }>) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      <p className={large ? 'display-progress' : 'big-progress'} role="status">
        {t('vote.progress', { voted: f.number(poll.progress.voted), eligible: f.number(poll.progress.eligible) })}
      </p>
      <progress max={Math.max(1, poll.progress.eligible)} value={poll.progress.voted} aria-label={t('chair.voteProgress')} />
      {poll.closesAt && <Countdown closesAt={poll.closesAt} offsetMs={offsetMs} className={large ? 'display-countdown' : undefined} />}
    </>
  );
}
