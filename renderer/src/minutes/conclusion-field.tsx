import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CONCLUSION_MAX } from '../../../shared/api/minutes';
import { ErrorNote } from '../components/error-note';
import { recordApi } from './record-api';

/**
 * The chair's conclusion on one agenda item (it goes into the minutes and the conclusion notice).
 * Saved on demand; an empty text removes it.
 */
export function ConclusionField({ meetingId, itemId, title }: Readonly<{ meetingId: string; itemId: string; title: string }>) {
  const { t } = useTranslation();
  const id = useId();
  const hintId = useId();
  const [text, setText] = useState('');
  const [saved, setSaved] = useState('');
  const [busy, setBusy] = useState(false);
  // The field stays read-only until the saved text has arrived, so nothing typed is overwritten by it.
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<string | null>(null);

  useEffect(() => {
    // Keyed by item (console-agenda.tsx): a new item is a new field, so only the load happens here.
    let live = true;
    recordApi
      .conclusions(meetingId)
      .then((r) => {
        if (live) {
          const current = r.conclusions.find((c) => c.agendaItemId === itemId)?.text ?? '';
          setText(current);
          setSaved(current);
          setLoaded(true);
        }
      })
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [meetingId, itemId]);

  async function save() {
    setBusy(true);
    setError(null);
    try {
      const r = await recordApi.conclude(meetingId, itemId, text);
      const now = r.conclusion?.text ?? '';
      setText(now);
      setSaved(now);
      setStatus(now ? t('record.conclusionSaved') : t('record.conclusionRemoved'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="conclusion-field">
      <label className="field" htmlFor={id}>
        <span>{t('record.conclusionFor', { title })}</span>
      </label>
      <textarea id={id} rows={3} value={text} readOnly={!loaded} aria-busy={!loaded} maxLength={CONCLUSION_MAX} aria-describedby={hintId} onChange={(e) => setText(e.target.value)} />
      <p id={hintId} className="muted small">
        {t('record.maxChars', { max: CONCLUSION_MAX })}
      </p>
      <button type="button" className="btn btn-small" disabled={busy || !loaded || text === saved} onClick={() => void save()}>
        {t('record.saveConclusion')}
      </button>
      <p role="status" aria-live="polite" className="small">
        {status}
      </p>
      <ErrorNote error={error} />
    </div>
  );
}
