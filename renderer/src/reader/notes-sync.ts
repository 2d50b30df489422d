import { NoteList, NoteState, type NoteState as NoteStateT } from '../../../shared/api/notes';
import type { LocalNote } from '../../../shared/platform';
import { api, ApiError } from '../api/http';
import { platform } from '../platform';

/**
 * Private notes, kept and synced. The device's copy (PlatformNotes) is what the reader shows
 * and edits, so notes work offline; every edit is stored locally first, marked dirty, then pushed.
 * Syncing a document pushes its dirty pages and takes the server's notes for the others; the server
 * resolves conflicts last-writer-wins by `updatedAt` and answers what it keeps, which the device adopts.
 * Documents with unpushed edits are remembered (settings `notes.pending.<user>`) so they are pushed on
 * reconnect even when another document is open.
 */

export type Notes = Readonly<Record<number, LocalNote>>;

/** Operations on one (user, document) run one after another: each reads, changes and saves the whole set. */
const queues = new Map<string, Promise<unknown>>();
function serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(fn, fn);
  queues.set(
    key,
    run.catch(() => undefined),
  );
  return run;
}

const pendingKey = (userId: string) => `notes.pending.${userId}`;

async function pendingDocs(userId: string): Promise<string[]> {
  try {
    const raw = await platform.settings.get(pendingKey(userId));
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

async function markPending(userId: string, documentId: string, pending: boolean): Promise<void> {
  const docs = new Set(await pendingDocs(userId));
  if (docs.has(documentId) === pending) {
    return;
  }
  if (pending) {
    docs.add(documentId);
  } else {
    docs.delete(documentId);
  }
  await platform.settings.set(pendingKey(userId), docs.size > 0 ? JSON.stringify([...docs]) : null);
}

/** The local copy, shown at once (offline too). */
export function localNotes(userId: string, documentId: string): Promise<Notes> {
  return platform.notes.list(userId, documentId);
}

/** What the device keeps after the server answered a push. */
function adopt(state: NoteStateT): LocalNote | null {
  return state.deleted ? null : { text: state.text, updatedAt: state.updatedAt, dirty: false };
}

async function push(documentId: string, page: number, note: LocalNote): Promise<LocalNote | null> {
  const path = `/api/documents/${documentId}/notes/${page}`;
  const state =
    note.text.trim() === ''
      ? await api('DELETE', `${path}?updatedAt=${encodeURIComponent(note.updatedAt)}`, NoteState)
      : await api('PUT', path, NoteState, { text: note.text, updatedAt: note.updatedAt });
  return adopt(state);
}

/** A refusal that retrying cannot fix (the document went away, or the note is invalid): drop the push. */
function permanent(e: unknown): boolean {
  return e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 401 && e.status !== 408 && e.status !== 429;
}

/**
 * Pushes the dirty pages, then (when `pull`) merges the server's notes in. Returns the merged notes;
 * offline, returns the local ones unchanged (still dirty, pushed next time).
 */
export function syncNotes(userId: string, documentId: string, pull = true): Promise<Notes> {
  return serial(`${userId}:${documentId}`, async () => {
    const local: Record<number, LocalNote> = { ...(await platform.notes.list(userId, documentId)) };
    let reachable = true;
    for (const [p, note] of Object.entries(local)) {
      if (!note.dirty) {
        continue;
      }
      const page = Number(p);
      try {
        const kept = await push(documentId, page, note);
        if (kept) {
          local[page] = kept;
        } else {
          delete local[page];
        }
      } catch (e) {
        if (permanent(e)) {
          delete local[page];
          continue;
        }
        reachable = false;
        break;
      }
    }
    if (reachable && pull) {
      try {
        const server = await api('GET', `/api/documents/${documentId}/notes`, NoteList);
        const onServer = new Map(server.notes.map((n) => [n.page, n]));
        for (const [p, note] of Object.entries(local)) {
          // Synced here but gone from the server: deleted on another device.
          if (!note.dirty && !onServer.has(Number(p))) {
            delete local[Number(p)];
          }
        }
        for (const n of server.notes) {
          const mine = local[n.page];
          if (!mine?.dirty) {
            local[n.page] = { text: n.text, updatedAt: n.updatedAt, dirty: false };
          }
        }
      } catch {
        // Offline or refused: keep the local notes as they are; the next sync pulls again.
      }
    }
    await platform.notes.save(userId, documentId, local);
    await markPending(
      userId,
      documentId,
      Object.values(local).some((n) => n.dirty),
    );
    return local;
  });
}

/**
 * Stores an edit on the device (marked dirty, time-stamped now), then tries to push it. Resolves with
 * the notes after the local write; `onSynced` gets them again once the server answered.
 */
export async function editNote(userId: string, documentId: string, page: number, text: string, onSynced?: (n: Notes) => void): Promise<Notes> {
  const saved = await serial(`${userId}:${documentId}`, async () => {
    const local: Record<number, LocalNote> = { ...(await platform.notes.list(userId, documentId)) };
    const before = local[page];
    if ((before?.text ?? '') === text) {
      return local;
    }
    if (text.trim() === '' && !before) {
      return local;
    }
    local[page] = { text: text.trim() === '' ? '' : text, updatedAt: new Date().toISOString(), dirty: true };
    await platform.notes.save(userId, documentId, local);
    await markPending(userId, documentId, true);
    return local;
  });
  void syncNotes(userId, documentId, false).then(onSynced, () => undefined);
  return saved;
}

/** Pushes every document's unpushed edits (on reconnect and when the reader opens). */
export async function flushPendingNotes(userId: string): Promise<void> {
  for (const documentId of await pendingDocs(userId)) {
    await syncNotes(userId, documentId, false).catch(() => undefined);
  }
}

/** The text to show for a page ('' for none or a pending deletion). */
export function noteText(notes: Notes | null, page: number): string {
  return notes?.[page]?.text ?? '';
}
