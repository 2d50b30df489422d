import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomClient } from '../../../shared/room/client';
import type { PollView, RoomSnapshot } from '../../../shared/room/events';
import { PollProgress } from '../voting/poll-progress';
import { ResultsChart } from '../voting/results-chart';
import { ruleText } from '../voting/rule';
import { NotVoted } from './not-voted';
import { PaperResultForm } from './paper-result-form';
import { PreparedPolls } from './prepared-polls';
import { QuickPollForm } from './quick-poll-form';
import { ResultActions } from './result-actions';
import type { Act } from './use-act';

/** The chair's voting panel: the last result, the open poll with its progress, or what can be opened. */
export function ConsoleVoting({
  snapshot: s,
  client,
  act,
  onError,
  offsetMs,
}: Readonly<{ snapshot: RoomSnapshot; client: RoomClient | null; act: Act; onError: (m: string | null) => void; offsetMs: number }>) {
  const { t } = useTranslation();
  const meetingId = s.meeting.meetingId;
  const open = s.openPoll;
  const drafts = s.polls.filter((p) => p.status === 'draft');
  // The result shown is the one closed last (a repeated vote is created later but may close later too).
  const lastClosed = s.polls
    .filter((p) => p.status === 'closed')
    .sort((a, b) => Date.parse(a.closedAt ?? '') - Date.parse(b.closedAt ?? ''))
    .at(-1);
  return (
    <section className="panel" aria-labelledby="c-vote">
      <h2 id="c-vote">{t('chair.voting')}</h2>
      {lastClosed && !open && (
        <div className="console-result">
          <h3>{t('chair.lastResult')}</h3>
          <ResultsChart poll={lastClosed} showNotVoted />
          <ResultActions poll={lastClosed} onRevote={(reason) => act((c) => c.request('poll:reopen', { meetingId, pollId: lastClosed.pollId, reason }))} />
        </div>
      )}
      {open ? (
        <OpenPoll poll={open} snapshot={s} client={client} act={act} offsetMs={offsetMs} />
      ) : (
        <NoOpenPoll snapshot={s} client={client} act={act} onError={onError} drafts={drafts} lastClosed={lastClosed} />
      )}
    </section>
  );
}

function OpenPoll({ poll, snapshot: s, client, act, offsetMs }: Readonly<{ poll: PollView; snapshot: RoomSnapshot; client: RoomClient | null; act: Act; offsetMs: number }>) {
  const { t } = useTranslation();
  return (
    <div className="console-open-poll">
      <p className="vote-question">{poll.title}</p>
      <p className="muted small">
        {poll.secret ? t('vote.secret') : t('vote.named')} · {ruleText(t, poll)}
      </p>
      <PollProgress poll={poll} offsetMs={offsetMs} />
      <p className="muted">{t('chair.notVoted', { count: poll.progress.eligible - poll.progress.voted })}</p>
      <NotVoted client={client} poll={poll} attendance={s.attendance} />
      <button type="button" className="btn btn-danger btn-block" onClick={() => void act((c) => c.request('poll:close', { meetingId: poll.meetingId, pollId: poll.pollId }))}>
        {t('chair.closeVote')}
      </button>
    </div>
  );
}

function NoOpenPoll({
  snapshot: s,
  client,
  act,
  onError,
  drafts,
  lastClosed,
}: Readonly<{ snapshot: RoomSnapshot; client: RoomClient | null; act: Act; onError: (m: string | null) => void; drafts: PollView[]; lastClosed: PollView | undefined }>) {
  const { t } = useTranslation();
  const meetingId = s.meeting.meetingId;
  // A poll the quorum rule kept closed; the chair may open it anyway with a recorded reason.
  const [blocked, setBlocked] = useState<string | null>(null);
  const [overrideReason, setOverrideReason] = useState('');
  // The quick poll is folded away when the item has prepared polls or was just voted on.
  const hasPrepared = drafts.some((p) => p.itemId === s.meeting.currentItemId) || lastClosed?.itemId === s.meeting.currentItemId;
  const overriding = blocked !== null && drafts.some((d) => d.pollId === blocked);
  const openDraft = (pollId: string) => {
    void client?.request('poll:open', { meetingId, pollId }).then((r) => {
      if (!r.ok && r.error.code === 'QUORUM_NOT_MET') {
        setBlocked(pollId);
      } else if (!r.ok) {
        onError(r.error.message);
      }
    });
  };
  return (
    <>
      <PreparedPolls
        drafts={drafts}
        agenda={s.agenda}
        currentItemId={s.meeting.currentItemId}
        disabled={s.meeting.status !== 'in_progress' || s.meeting.paused}
        onOpen={(p) => openDraft(p.pollId)}
        paperEntry={(p) => <PaperResultForm poll={p} client={client} disabled={s.meeting.status !== 'in_progress'} />}
      />
      {/* One no-quorum warning: inside the override form while it is shown, below the forms otherwise. */}
      {overriding ? (
        <form
          className="override"
          onSubmit={(e) => {
            e.preventDefault();
            void act((c) => c.request('poll:open', { meetingId, pollId: blocked, overrideQuorumReason: overrideReason.trim() })).then(() => {
              setBlocked(null);
              setOverrideReason('');
            });
          }}
        >
          <p className="text-warn">{t('chair.noQuorum')}</p>
          <label className="field">
            <span>{t('chair.overrideReason')}</span>
            <input value={overrideReason} onChange={(e) => setOverrideReason(e.target.value)} required />
          </label>
          <button type="submit" className="btn btn-primary btn-block" disabled={!overrideReason.trim()}>
            {t('chair.openAnyway')}
          </button>
        </form>
      ) : (
        <details className="quick-poll-box" key={`${s.meeting.currentItemId ?? ''}-${hasPrepared}`} open={!hasPrepared}>
          <summary>{t('chair.quickPoll')}</summary>
          <QuickPollForm meetingId={meetingId} itemId={s.meeting.currentItemId} client={client} onError={onError} onQuorumBlocked={setBlocked} />
        </details>
      )}
      {!s.quorum.met && !overriding && <p className="text-warn">{t('chair.noQuorum')}</p>}
    </>
  );
}
