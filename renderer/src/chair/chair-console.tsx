import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ack, PollView } from '../../../shared/room/events';
import { useFormat } from '../i18n/format';
import { useRoom } from '../room/use-room';
import { orderAgenda } from '../room/agenda-order';
import { SpeakerTimer } from '../room/speaker-timer';
import { navigate } from '../router';
import { useSession } from '../session';
import { Countdown } from '../voting/countdown';
import { ResultsChart } from '../voting/results-chart';
import { ruleText } from '../voting/rule';
import { NotVoted } from './not-voted';
import { PreparedPolls } from './prepared-polls';
import { PaperResultForm } from './paper-result-form';
import { QuickPollForm } from './quick-poll-form';
import { ResultActions } from './result-actions';

/** The chair's console: run the session, agenda, attendance, votes and the floor. */
export function ChairConsole({ meetingId }: Readonly<{ meetingId: string }>) {
  const { t } = useTranslation();
  const f = useFormat();
  const { session } = useSession();
  const room = useRoom(meetingId, session?.token ?? null);
  const [error, setError] = useState<string | null>(null);
  // A poll the quorum rule kept closed; the chair may open it anyway with a recorded reason.
  const [blocked, setBlocked] = useState<string | null>(null);
  const [overrideReason, setOverrideReason] = useState('');
  const s = room.snapshot;
  const client = room.client;

  async function act(p: Promise<Ack<object>> | undefined) {
    setError(null);
    const r = await p;
    if (r && !r.ok) {
      setError(r.error.message);
    }
  }

  if (!s) {
    return (
      <main className="page">
        {room.error ? (
          <p className="form-error" role="alert">
            {t('room.liveError')}
          </p>
        ) : (
          <p className="muted">{t('room.connecting')}</p>
        )}
      </main>
    );
  }
  const agenda = orderAgenda(s.agenda).map((x) => ({ ...x.item, depth: x.depth }));
  const idx = agenda.findIndex((a) => a.id === s.meeting.currentItemId);
  const speaking = s.speakers.find((x) => x.status === 'speaking');
  const waiting = s.speakers.filter((x) => x.status === 'waiting').sort((a, b) => a.position - b.position);
  const open = s.openPoll;
  const drafts = s.polls.filter((p) => p.status === 'draft');
  // The result shown is the one closed last (a repeated vote is created later but may close later too).
  const lastClosed = s.polls
    .filter((p) => p.status === 'closed')
    .sort((a, b) => Date.parse(a.closedAt ?? '') - Date.parse(b.closedAt ?? ''))
    .at(-1);
  // The quick poll is folded away when the item has prepared polls or was just voted on.
  const hasPrepared = drafts.some((p) => p.itemId === s.meeting.currentItemId) || lastClosed?.itemId === s.meeting.currentItemId;
  const openDraft = (pollId: string) => {
    void client?.request('poll:open', { meetingId, pollId }).then((r) => {
      if (!r.ok && r.error.code === 'QUORUM_NOT_MET') {
        setBlocked(pollId);
      } else if (!r.ok) {
        setError(r.error.message);
      }
    });
  };
  const notVotedYet = (p: PollView) => p.progress.eligible - p.progress.voted;
  const status = s.meeting.status;

  return (
    <main className="console" id="main">
      <div className="room-head">
        <div>
          <h1>{t('chair.title')}</h1>
          <p className="muted">{s.meeting.title}</p>
        </div>
        <div className="room-head-actions">
          <span className={`chip chip-status-${status}`}>{t(`status.${status}`)}</span>
          {status !== 'in_progress' && status !== 'closed' && (
            <button type="button" className="btn btn-primary" onClick={() => void act(client?.request('meeting:start', { meetingId }))}>
              {t('chair.start')}
            </button>
          )}
          {status === 'in_progress' &&
            (s.meeting.paused ? (
              <button type="button" className="btn" onClick={() => void act(client?.request('meeting:resume', { meetingId }))}>
                {t('chair.resume')}
              </button>
            ) : (
              <button type="button" className="btn" onClick={() => void act(client?.request('meeting:pause', { meetingId }))}>
                {t('chair.pause')}
              </button>
            ))}
          {status === 'in_progress' && (
            <button type="button" className="btn btn-danger" onClick={() => void act(client?.request('meeting:end', { meetingId }))}>
              {t('chair.end')}
            </button>
          )}
          <button type="button" className="btn btn-ghost" onClick={() => window.open(`/display/${meetingId}`, '_blank', 'noopener')}>
            {t('chair.openDisplay')}
          </button>
          <button type="button" className="btn btn-ghost" onClick={() => navigate(`/meetings/${meetingId}`)}>
            {t('chair.toRoom')}
          </button>
        </div>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="console-grid">
        <section className="panel" aria-labelledby="c-agenda">
          <h2 id="c-agenda">{t('room.agenda')}</h2>
          <div className="row">
            <button type="button" className="btn" disabled={idx <= 0} onClick={() => void act(client?.request('agenda:setCurrent', { meetingId, itemId: agenda[idx - 1]?.id ?? null }))}>
              ← {t('chair.prevItem')}
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={idx >= agenda.length - 1}
              onClick={() => void act(client?.request('agenda:setCurrent', { meetingId, itemId: agenda[idx + 1]?.id ?? null }))}
            >
              {t('chair.nextItem')} →
            </button>
          </div>
          <ol className="console-agenda">
            {agenda.map((a) => (
              <li key={a.id} className={`depth-${Math.min(a.depth, 3)}${a.id === s.meeting.currentItemId ? ' agenda-current' : ''}`}>
                <span>{a.title}</span>
                {a.id === s.meeting.currentItemId ? (
                  <span className="chip chip-live">{t('room.now')}</span>
                ) : (
                  <button type="button" className="btn btn-small" onClick={() => void act(client?.request('agenda:setCurrent', { meetingId, itemId: a.id }))} aria-label={t('chair.makeCurrent', { title: a.title })}>
                    {t('chair.makeCurrentShort')}
                  </button>
                )}
              </li>
            ))}
          </ol>
        </section>

        <section className="panel" aria-labelledby="c-vote">
          <h2 id="c-vote">{t('chair.voting')}</h2>
          {lastClosed && !open && (
            <div className="console-result">
              <h3>{t('chair.lastResult')}</h3>
              <ResultsChart poll={lastClosed} showNotVoted />
              <ResultActions
                poll={lastClosed}
                onRevote={async (reason) => {
                  const r = await client?.request('poll:reopen', { meetingId, pollId: lastClosed.pollId, reason });
                  if (r && !r.ok) {
                    setError(r.error.message);
                  }
                  return Boolean(r?.ok);
                }}
              />
            </div>
          )}
          {open ? (
            <div className="console-open-poll">
              <p className="vote-question">{open.title}</p>
              <p className="muted small">
                {open.secret ? t('vote.secret') : t('vote.named')} · {ruleText(t, open)}
              </p>
              <p className="big-progress" role="status">
                {t('vote.progress', { voted: f.number(open.progress.voted), eligible: f.number(open.progress.eligible) })}
              </p>
              <progress max={Math.max(1, open.progress.eligible)} value={open.progress.voted} aria-label={t('chair.voteProgress')} />
              <p className="muted">{t('chair.notVoted', { count: notVotedYet(open) })}</p>
              <NotVoted client={client} poll={open} attendance={s.attendance} />
              {open.closesAt && <Countdown closesAt={open.closesAt} offsetMs={room.clockOffsetMs} />}
              <button type="button" className="btn btn-danger btn-block" onClick={() => void act(client?.request('poll:close', { meetingId, pollId: open.pollId }))}>
                {t('chair.closeVote')}
              </button>
            </div>
          ) : (
            <>
              <PreparedPolls drafts={drafts} agenda={s.agenda} currentItemId={s.meeting.currentItemId} disabled={status !== 'in_progress' || s.meeting.paused} onOpen={(p) => openDraft(p.pollId)}
                paperEntry={(p) => <PaperResultForm poll={p} client={client} disabled={status !== 'in_progress'} />}
              />
              {blocked && drafts.some((d) => d.pollId === blocked) ? (
                <form
                  className="override"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void act(client?.request('poll:open', { meetingId, pollId: blocked, overrideQuorumReason: overrideReason.trim() })).then(() => {
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
                  <QuickPollForm meetingId={meetingId} itemId={s.meeting.currentItemId} client={client} onError={setError} onQuorumBlocked={setBlocked} />
                </details>
              )}
              {!s.quorum.met && <p className="text-warn">{t('chair.noQuorum')}</p>}
            </>
          )}
        </section>

        <section className="panel" aria-labelledby="c-att">
          <h2 id="c-att">{t('attendance.title')}</h2>
          <p className={`quorum ${s.quorum.met ? 'quorum-met' : 'quorum-not'}`}>
            {t('attendance.quorum', { present: f.number(s.quorum.present), total: f.number(s.quorum.total), required: f.number(s.quorum.required) })}
            <strong>{s.quorum.met ? t('attendance.quorumMet') : t('attendance.quorumNotMet')}</strong>
          </p>
          <ul className="attendance">
            {s.attendance
              .filter((a) => a.role === 'chair' || a.role === 'delegate')
              .map((a) => (
                <li key={a.userId}>
                  <span className={`dot ${a.present ? 'dot-on' : 'dot-off'}`} aria-hidden="true" />
                  <span>{a.displayName}</span>
                  <button
                    type="button"
                    className="btn btn-small btn-ghost"
                    onClick={() => void act(client?.request('attendance:mark', { meetingId, userId: a.userId, present: !a.present }))}
                    aria-label={a.present ? t('chair.markAbsent', { name: a.displayName }) : t('chair.markPresent', { name: a.displayName })}
                  >
                    {a.present ? t('attendance.present') : t('attendance.absent')}
                  </button>
                </li>
              ))}
          </ul>
        </section>

        <section className="panel" aria-labelledby="c-sp">
          <h2 id="c-sp">{t('speakers.title')}</h2>
          {speaking ? (
            <div className="speaking-now">
              <strong>{speaking.displayName}</strong>
              {speaking.startedAt && <SpeakerTimer startedAt={speaking.startedAt} limitSeconds={speaking.limitSeconds} offsetMs={room.clockOffsetMs} />}
              <button type="button" className="btn btn-small" onClick={() => void act(client?.request('speaker:end', { meetingId, requestId: speaking.requestId }))}>
                {t('chair.endSpeech')}
              </button>
            </div>
          ) : (
            <p className="muted">{t('speakers.nobody')}</p>
          )}
          <ol className="queue">
            {waiting.map((w) => (
              <li key={w.requestId}>
                <span>{w.displayName}</span>
                <button type="button" className="btn btn-small btn-primary" onClick={() => void act(client?.request('speaker:grant', { meetingId, requestId: w.requestId, limitSeconds: 180 }))}>
                  {t('chair.grant')}
                </button>
              </li>
            ))}
          </ol>
          {waiting.length === 0 && <p className="muted">{t('speakers.emptyQueue')}</p>}
        </section>
      </div>
    </main>
  );
}
