import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { platform } from '../platform';

function NoteEditor({ documentId, page, initial, onSaved }: Readonly<{ documentId: string; page: number; initial: string; onSaved: (text: string) => void }>) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(initial);
  const [saved, setSaved] = useState(true);
  async function save() {
    await platform.notes.put(documentId, page, draft);
    onSaved(draft);
    setSaved(true);
  }
  return (
    <>
      <label className="field">
        <span>{t('reader.noteForPage', { page })}</span>
        <textarea
          rows={6}
          value={draft}
          onChange={(e) => {
            setDraft(e.target.value);
            setSaved(false);
          }}
          onBlur={() => void save()}
        />
      </label>
      <div className="notes-foot">
        <button type="button" className="btn btn-small" disabled={saved} onClick={() => void save()}>
          {t('reader.saveNote')}
        </button>
        <span className="muted">{saved ? t('reader.noteSaved') : ''}</span>
      </div>
    </>
  );
}

/** Private notes for the current page; kept on this device through the platform adapter. */
export function NotesPanel({ documentId, page }: Readonly<{ documentId: string; page: number }>) {
  const { t } = useTranslation();
  const [notes, setNotes] = useState<Record<number, string> | null>(null);

  useEffect(() => {
    let live = true;
    void platform.notes.list(documentId).then((n) => {
      if (live) {
        setNotes(n);
      }
    });
    return () => {
      live = false;
    };
  }, [documentId]);

  const pagesWithNotes = Object.keys(notes ?? {})
    .map(Number)
    .filter((p) => (notes?.[p] ?? '').trim() !== '')
    .sort((a, b) => a - b);

  return (
    <aside className="notes" aria-label={t('reader.notes')}>
      {notes && (
        // Keyed by page: moving to another page starts from that page's note.
        <NoteEditor key={page} documentId={documentId} page={page} initial={notes[page] ?? ''} onSaved={(text) => setNotes((n) => ({ ...n, [page]: text }))} />
      )}
      {pagesWithNotes.length > 0 && (
        <p className="muted">
          {t('reader.notesOn')} {pagesWithNotes.join(', ')}
        </p>
      )}
      <p className="muted small">{t('reader.notesPrivate')}</p>
    </aside>
  );
}
