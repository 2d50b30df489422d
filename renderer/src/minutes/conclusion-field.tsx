import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CONCLUSION_MAX, type ConclusionList, type PutConclusionResponse } from '../../../shared/api/minutes';
import { ErrorNote } from '../components/error-note';
import { recordApi } from './record-api';

export const conclusionsKey = (meetingId: string) => ['conclusions', meetingId] as const;

/** A meeting's conclusions, one cache entry shared by the chair's fields and the task form. */
export const conclusionsQuery = (meetingId: string) => queryOptions({ queryKey: conclusionsKey(meetingId), queryFn: () => recordApi.conclusions(meetingId) });

/** The meeting's conclusions with one item's replaced by what the server kept (or removed). */
function withSaved(list: ConclusionList | undefined, itemId: string, r: PutConclusionResponse): ConclusionList | undefined {
  if (!list) {
    return list;
  }
  const others = list.conclusions.filter((c) => c.agendaItemId !== itemId);
  return { conclusions: r.conclusion ? [...others, r.conclusion] : others };
}

/**
 * The chair's conclusion on one agenda item (it goes into the minutes and the conclusion notice).
 * Saved on demand; an empty text removes it.
 */
export function ConclusionField({ meetingId, itemId, title }: Readonly<{ meetingId: string; itemId: string; title: string }>) {
  const { t } = useTranslation();
  const id = useId();
  const hintId = useId();
  const queries = useQueryClient();
  const { data, error: loadError } = useQuery(conclusionsQuery(meetingId));
  const loaded = data !== undefined;
  const saved = data?.conclusions.find((c) => c.agendaItemId === itemId)?.text ?? '';
  // What the chair typed and has not saved yet, kept apart from the server's text: a re-read (focus,
  // reconnect) updates `saved` but never replaces an edit in progress. Null = no edit, show the saved text.
  // Keyed by item (console-agenda.tsx), so a new item starts without an edit.
  const [edit, setEdit] = useState<string | null>(null);
  const text = edit ?? saved;
  const [status, setStatus] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: (value: string) => recordApi.conclude(meetingId, itemId, value),
    onSuccess: (r, sent) => {
      queries.setQueryData<ConclusionList>(conclusionsKey(meetingId), (list) => withSaved(list, itemId, r));
      // Typing went on while the save was under way: that newer edit stays.
      setEdit((e) => (e === sent ? null : e));
      setStatus(r.conclusion?.text ? t('record.conclusionSaved') : t('record.conclusionRemoved'));
    },
  });

  return (
    <div className="conclusion-field">
      <label className="field" htmlFor={id}>
        <span>{t('record.conclusionFor', { title })}</span>
      </label>
      {/* Read-only until the saved text has arrived, so nothing is typed over a text about to appear. */}
      <textarea
        id={id}
        rows={3}
        value={text}
        readOnly={!loaded}
        aria-busy={!loaded}
        maxLength={CONCLUSION_MAX}
        aria-describedby={hintId}
        onChange={(e) => setEdit(e.target.value)}
      />
      <p id={hintId} className="muted small">
        {t('record.maxChars', { max: CONCLUSION_MAX })}
      </p>
      <button type="button" className="btn btn-small" disabled={save.isPending || !loaded || text === saved} onClick={() => save.mutate(text)}>
        {t('record.saveConclusion')}
      </button>
      <p role="status" aria-live="polite" className="small">
        {status}
      </p>
      <ErrorNote error={save.error ?? (loaded ? null : loadError)} />
    </div>
  );
}
