import { useTranslation } from 'react-i18next';
import type { PollView } from '../../../shared/room/events';
import { ruleText } from './rule';

/** A prepared poll's settings at a glance: the rule in words, then chips (secret, countdown, …). */
export function PollFacts({ poll }: Readonly<{ poll: PollView }>) {
  const { t } = useTranslation();
  return (
    <div className="poll-facts">
      <p className="poll-rule">{ruleText(t, poll)}</p>
      <p className="poll-chips">
        <span className={`chip ${poll.secret ? 'chip-secret' : 'chip-muted'}`}>{poll.secret ? t('prep.secret') : t('prep.named')}</span>
        {poll.kind === 'election' && (
          <span className="chip chip-muted">{t('prep.electionChip', { count: poll.maxChoices, total: poll.options.length })}</span>
        )}
        {!poll.secret && poll.correction === 'change_until_close' && <span className="chip chip-muted">{t('prep.corrections.change_until_close')}</span>}
        {poll.durationSeconds !== null && <span className="chip chip-muted">{t('prep.chipCountdown', { minutes: poll.durationSeconds / 60 })}</span>}
        {poll.hideTally && <span className="chip chip-muted">{t('prep.chipHidden')}</span>}
      </p>
    </div>
  );
}
