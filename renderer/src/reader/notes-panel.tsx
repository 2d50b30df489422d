import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { editNote, noteText, type Notes } from './notes-sync';
import { useNotes } from './use-notes';

function NoteEditor({
  userId,
  documentId,
  page,
  initial,
  pending,
  onNotes,
}: Readonly<{ userId: string; documentId: string; page: number; initial: string; pending: boolean; onNotes: (n: Notes) => void }>) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(initial);
  const [saved, setSaved] = useState(true);
  // A sync brought a newer text for this page (written on another device): show it unless the user
  // is typing here (then their edit, newer, wins on save).
  const [shown, setShown] = useState(initial);
  if (initial !== shown) {
    setShown(initial);
    if (saved) {
      setDraft(initial);
    }
  }
  async function save() {
    const n = await editNote(userId, documentId, page, draft, onNotes);
    onNotes(n);
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
        <span className="muted" data-note-state={saved ? (pending ? 'pending' : 'synced') : 'editing'}>
          {saved ? (pending ? t('reader.notePending') : t('reader.noteSaved')) : ''}
        </span>
      </div>
    </>
  );
}

/**
 * Private notes for the current page: shown from the device at once, then
 * synced with the server, and again whenever the connection comes back.
 */
export function NotesPanel({ userId, documentId, page }: Readonly<{ userId: string; documentId: string; page: number }>) {
  const { t } = useTranslation();
  const { notes, update } = useNotes(userId, documentId);

  const pagesWithNotes = Object.keys(notes ?? {})
    .map(Number)
    .filter((p) => noteText(notes, p).trim() !== '')
    .sort((a, b) => a - b);

  return (
    <aside className="notes" aria-label={t('reader.notes')}>
      {notes && (
        // Keyed by page: moving to another page starts from that page's note.
        <NoteEditor
          key={page}
          userId={userId}
          documentId={documentId}
          page={page}
          initial={noteText(notes, page)}
          pending={notes[page]?.dirty === true}
          onNotes={update}
        />
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
