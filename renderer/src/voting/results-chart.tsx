import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PollView } from '../../../shared/room/events';
import { useFormat } from '../i18n/format';
import { optionLabel } from './labels';
import { ruleText } from './rule';

type Named = NonNullable<NonNullable<PollView['result']>['named']>;

/**
 * Final result: a bar per option, the rule's verdict and, for named polls, who voted what. Delegates'
 * copies come without the name lists (`listsOmitted`): `loadNames` fetches them when the
 * list is opened.
 */
export function ResultsChart({
  poll,
  large = false,
  showNames = true,
  showNotVoted = false,
  loadNames,
}: Readonly<{ poll: PollView; large?: boolean; showNames?: boolean; showNotVoted?: boolean; loadNames?: () => Promise<Named | null> }>) {
  const { t } = useTranslation();
  const f = useFormat();
  const [loaded, setLoaded] = useState<{ pollId: string; named: Named | null } | null>(null);
  const r = poll.result;
  if (!r) {
    return null;
  }
  const named = r.named ?? (loaded?.pollId === poll.pollId ? loaded.named : null);
  const onDemand = showNames && r.listsOmitted === true && !poll.secret && r.cast > 0 && named === null && loadNames !== undefined;
  const max = Math.max(1, r.base);
  return (
    <figure className={`results${large ? ' results-large' : ''}`} aria-label={t('vote.resultsOf', { title: poll.title })}>
      <figcaption>
        <span className="results-title">{poll.title}</span>
        <span className={`verdict ${r.passed ? 'verdict-pass' : 'verdict-fail'}`}>
          {poll.kind === 'election' ? (r.passed ? t('vote.elected') : t('vote.notElected')) : r.passed ? t('vote.passed') : t('vote.failed')}
        </span>
      </figcaption>
      <ul className="bars">
        {poll.options.map((o) => {
          const n = r.counts[o.id] ?? 0;
          const pct = r.percent[o.id] ?? 0;
          return (
            <li key={o.id} className={`bar-row bar-${o.id}${r.elected?.includes(o.id) ? ' bar-elected' : ''}`}>
              <span className="bar-label">{optionLabel(t, poll, o.id)}</span>
              <span className="bar-track" aria-hidden="true">
                <span className="bar-fill" style={{ width: `${(n / max) * 100}%` }} />
              </span>
              <span className="bar-value">
                {f.number(n)} <span className="muted">({f.number(pct)}%)</span>
              </span>
            </li>
          );
        })}
      </ul>
      <p className="results-rule">{ruleText(t, poll)}</p>
      <p className="results-meta">
        {t('vote.resultMeta', { cast: f.number(r.cast), eligible: f.number(r.eligible), needed: f.number(r.needed), base: f.number(r.base) })}
      </p>
      {poll.paper && (
        <p className="results-paper">
          {t('paper.entered', {
            by: poll.paper.enteredBy ?? '—',
            at: f.dateTime(poll.paper.enteredAt),
            issued: f.number(poll.paper.issued),
            returned: f.number(poll.paper.returned),
            invalid: f.number(poll.paper.invalid),
          })}
        </p>
      )}
      {onDemand && (
        <details
          className="named"
          onToggle={(ev) => {
            if ((ev.currentTarget as HTMLDetailsElement).open) {
              loadNames()
                .then((n) => setLoaded({ pollId: poll.pollId, named: n }))
                .catch(() => undefined);
            }
          }}
        >
          <summary>{t('vote.names')}</summary>
          <p className="muted">…</p>
        </details>
      )}
      {showNames && named && named.length > 0 && (
        <details className="named" open={r.named === null}>
          <summary>{t('vote.names')}</summary>
          <ul>
            {named.map((v) => (
              <li key={v.userId}>
                <span>{v.displayName}</span>
                <span className="muted">{v.choice.map((c) => optionLabel(t, poll, c)).join(', ') || t('vote.blank')}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {showNotVoted && r.notVoted.length > 0 && (
        <details className="named">
          <summary>{t('vote.notVotedList', { count: r.notVoted.length })}</summary>
          <ul>
            {r.notVoted.map((v) => (
              <li key={v.userId}>{v.displayName}</li>
            ))}
          </ul>
        </details>
      )}
    </figure>
  );
}
