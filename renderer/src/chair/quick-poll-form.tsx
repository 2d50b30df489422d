import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomClient } from '../../../shared/room/client';
import type { MajorityBase } from '../../../shared/domain/majority';

/** Creates and opens a yes/no/abstain poll on the current item with its rule (chair console). */
export function QuickPollForm({
  meetingId,
  itemId,
  client,
  onError,
  onQuorumBlocked,
}: Readonly<{ meetingId: string; itemId: string | null; client: RoomClient | null; onError: (m: string) => void; onQuorumBlocked: (pollId: string) => void }>) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [secret, setSecret] = useState(false);
  const [base, setBase] = useState<MajorityBase>('all');
  const [twoThirds, setTwoThirds] = useState(false);
  const [minutes, setMinutes] = useState('2');
  const [busy, setBusy] = useState(false);

  async function submit() {
    if (!client) {
      return;
    }
    setBusy(true);
    const secs = Math.round(Number(minutes) * 60);
    const created = await client.request('poll:create', {
      meetingId,
      itemId,
      title: title.trim(),
      kind: 'yes_no_abstain',
      secret,
      base,
      threshold: twoThirds ? { kind: 'ge_two_thirds' } : { kind: 'gt_half' },
      correction: secret ? 'final' : 'change_until_close',
      durationSeconds: Number.isFinite(secs) && secs > 0 ? secs : undefined,
    });
    if (!created.ok) {
      onError(created.error.message);
      setBusy(false);
      return;
    }
    const opened = await client.request('poll:open', { meetingId, pollId: created.poll.pollId });
    if (!opened.ok && opened.error.code === 'QUORUM_NOT_MET') {
      onQuorumBlocked(created.poll.pollId);
      setTitle('');
    } else if (!opened.ok) {
      onError(opened.error.message);
    } else {
      setTitle('');
    }
    setBusy(false);
  }

  return (
    <form
      className="quick-poll"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label className="field">
        <span>{t('chair.pollQuestion')}</span>
        <input value={title} onChange={(e) => setTitle(e.target.value)} required />
      </label>
      <div className="row">
        <label className="field">
          <span>{t('chair.base')}</span>
          <select value={base} onChange={(e) => setBase(e.target.value as MajorityBase)}>
            <option value="all">{t('vote.base.all')}</option>
            <option value="present">{t('vote.base.present')}</option>
            <option value="cast">{t('vote.base.cast')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('chair.duration')}</span>
          <input type="number" min={0} max={120} step={0.5} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        </label>
      </div>
      <label className="check">
        <input type="checkbox" checked={twoThirds} onChange={(e) => setTwoThirds(e.target.checked)} />
        <span>{t('chair.twoThirds')}</span>
      </label>
      <label className="check">
        <input type="checkbox" checked={secret} onChange={(e) => setSecret(e.target.checked)} />
        <span>{t('chair.secret')}</span>
      </label>
      <button type="submit" className="btn btn-primary btn-block" disabled={busy || !title.trim() || !client}>
        {t('chair.openVote')}
      </button>
    </form>
  );
}
