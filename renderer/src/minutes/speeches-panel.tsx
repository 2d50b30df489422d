import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SPEECH_SUMMARY_MAX, type Speech } from '../../../shared/api/minutes';
import type { Member } from '../../../shared/api/meetings';
import { ErrorNote } from '../components/error-note';
import { useFormat } from '../i18n/format';
import { recordApi } from './record-api';

interface Props {
  readonly meetingId: string;
  readonly members: readonly Member[];
  readonly agenda: readonly { id: string; title: string }[];
  /** Changes when the room's floor changes, so turns given meanwhile appear. */
  readonly refreshKey: string;
}

/** One turn with its summary box (the secretary's summary of the opinion, for the minutes). */
function SpeechRow({ meetingId, speech, itemTitle, onSaved }: Readonly<{ meetingId: string; speech: Speech; itemTitle: string | null; onSaved: (s: Speech) => void }>) {
  const { t } = useTranslation();
  const f = useFormat();
  const id = useId();
  const [text, setText] = useState(speech.summary);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function save() {
    setBusy(true);
    setError(null);
    try {
      onSaved(await recordApi.summarise(meetingId, speech.id, text));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const when = `${f.time(new Date(speech.startedAt))}${speech.endedAt ? `–${f.time(new Date(speech.endedAt))}` : ''}`;
  return (
    <li className="speech-row">
      <label htmlFor={id}>
        <strong>{speech.displayName}</strong> · {when}
        {itemTitle ? ` · ${itemTitle}` : ''}
        {speech.endedAt === null && <span className="chip chip-live">{t('record.speaking')}</span>}
      </label>
      <textarea id={id} rows={2} value={text} maxLength={SPEECH_SUMMARY_MAX} placeholder={t('record.summaryPlaceholder')} onChange={(e) => setText(e.target.value)} />
      <button type="button" className="btn btn-small" disabled={busy || text === speech.summary} onClick={() => void save()} aria-label={t('record.saveSummaryFor', { name: speech.displayName, time: when })}>
        {t('record.saveSummary')}
      </button>
      <ErrorNote error={error} />
    </li>
  );
}

/**
 * Speaking turns for the chair and the secretary, during the meeting and after it: the floor records
 * each turn; here the secretary writes the summary of each opinion and adds turns the room did not record.
 */
export function SpeechesPanel({ meetingId, members, agenda, refreshKey }: Props) {
  const { t } = useTranslation();
  const headingId = useId();
  const speakerId = useId();
  const [list, setList] = useState<Speech[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [speaker, setSpeaker] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);

  const reload = useCallback(() => {
    recordApi
      .speeches(meetingId)
      .then((r) => setList(r.speeches))
      .catch(setError);
  }, [meetingId]);
  useEffect(() => {
    reload();
  }, [reload, refreshKey]);

  async function add() {
    if (!speaker) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await recordApi.addSpeech(meetingId, { userId: speaker });
      setStatus(t('record.turnAdded'));
      setSpeaker('');
      reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const titleOf = (id: string | null) => (id ? (agenda.find((a) => a.id === id)?.title ?? null) : null);
  return (
    <section className="panel speeches-panel" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('record.speechesTitle')}</h3>
      {list && list.length === 0 && <p className="muted">{t('record.noSpeeches')}</p>}
      <ul className="speech-list">
        {(list ?? []).map((s) => (
          <SpeechRow key={s.id} meetingId={meetingId} speech={s} itemTitle={titleOf(s.agendaItemId)} onSaved={(saved) => setList((l) => (l ?? []).map((x) => (x.id === saved.id ? saved : x)))} />
        ))}
      </ul>
      <div className="row">
        <label className="field" htmlFor={speakerId}>
          <span>{t('record.addTurnSpeaker')}</span>
        </label>
        <select id={speakerId} value={speaker} onChange={(e) => setSpeaker(e.target.value)}>
          <option value="">{t('record.pickSpeaker')}</option>
          {members
            .filter((m) => m.role !== 'observer')
            .map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.displayName}
              </option>
            ))}
        </select>
        <button type="button" className="btn" disabled={busy || !speaker} onClick={() => void add()}>
          {t('record.addTurn')}
        </button>
      </div>
      <p role="status" aria-live="polite" className="small">
        {status}
      </p>
      <ErrorNote error={error} />
    </section>
  );
}
