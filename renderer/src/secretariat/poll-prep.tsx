import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgendaItem } from '../../../shared/api/meetings';
import type { Ack, PollView } from '../../../shared/room/events';
import { ApiError } from '../api/http';
import { ErrorNote } from '../components/error-note';
import { useRoom } from '../room/use-room';
import { useSession } from '../session';
import { PollFacts } from '../voting/poll-facts';
import { toNodes, type Node } from './agenda-tree';
import { draftForItem, fromPoll, type DraftSettings } from './poll-draft';
import { PollForm } from './poll-form';

type Editing = { itemId: string | null; pollId: string | null } | null;

interface Row {
  readonly id: string | null;
  readonly num: string;
  readonly title: string;
  readonly kind: Node['kind'];
  readonly depth: number;
}

function rowsOf(nodes: readonly Node[], prefix = '', depth = 0): Row[] {
  return nodes.flatMap((n, i) => {
    const num = `${prefix}${i + 1}.`;
    return [{ id: n.id, num, title: n.title, kind: n.kind, depth }, ...rowsOf(n.children, num, depth + 1)];
  });
}

/**
 * Prepared polls per agenda item.
 * Drafts live in the room (poll:create / poll:edit / poll:delete over the typed RoomClient), so the
 * chair's console sees each change at once and opens a prepared poll with one click.
 */
export function PollPrep({ meetingId, agenda }: Readonly<{ meetingId: string; agenda: AgendaItem[] }>) {
  const { t } = useTranslation();
  const { session } = useSession();
  const room = useRoom(meetingId, session?.token ?? null);
  const [editing, setEditing] = useState<Editing>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // Keyboard users land back on the button that opened the form once it closes.
  const opener = useRef<HTMLElement | null>(null);
  const s = room.snapshot;

  function startEditing(next: Editing) {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setError(null);
    setEditing(next);
  }
  const restore = useRef<{ el: HTMLElement | null; pollId: string | null } | null>(null);
  function stopEditing() {
    restore.current = { el: opener.current, pollId: editing?.pollId ?? null };
    setEditing(null);
  }
  useEffect(() => {
    const r = restore.current;
    if (editing !== null || !r) {
      return;
    }
    restore.current = null;
    // The edit button was replaced by the form: then focus the new one of the same poll.
    const target = r.el?.isConnected ? r.el : r.pollId ? document.querySelector<HTMLElement>(`[data-edit="${r.pollId}"]`) : null;
    target?.focus();
  }, [editing]);
  const client = room.client;

  async function run(p: Promise<Ack<object>> | undefined): Promise<boolean> {
    if (!p) {
      return false;
    }
    setBusy(true);
    setError(null);
    const r = await p;
    setBusy(false);
    if (!r.ok) {
      setError(new ApiError(0, r.error.code, r.error.message));
      return false;
    }
    return true;
  }

  async function save(settings: DraftSettings) {
    if (!editing) {
      return;
    }
    const done = editing.pollId
      ? await run(client?.request('poll:edit', { meetingId, pollId: editing.pollId, itemId: editing.itemId, ...settings }))
      : await run(client?.request('poll:create', { meetingId, itemId: editing.itemId, ...settings }));
    if (done) {
      stopEditing();
    }
  }

  if (!s) {
    return (
      <section className="panel" aria-labelledby="prep-polls-h">
        <h2 id="prep-polls-h">{t('prep.title')}</h2>
        {room.error ? <p className="form-error">{t('prep.unavailable')}</p> : <p className="muted">{t('common.loading')}</p>}
      </section>
    );
  }

  const closed = s.meeting.status === 'closed';
  const rows = rowsOf(toNodes(agenda));
  const known = new Set(rows.map((r) => r.id));
  const loose = s.polls.filter((p) => p.itemId === null || !known.has(p.itemId));
  const allRows: Row[] = loose.length > 0 ? [...rows, { id: null, num: '', title: t('prep.noItem'), kind: 'report', depth: 0 }] : rows;
  const pollsOf = (r: Row): PollView[] => (r.id === null ? loose : s.polls.filter((p) => p.itemId === r.id));

  const form = (r: Row, poll: PollView | null) => (
    <PollForm
      key={poll?.pollId ?? `new-${r.id ?? 'none'}`}
      initial={poll ? fromPoll(poll) : draftForItem(r.kind, r.title)}
      heading={poll ? t('prep.editTitle') : t('prep.newTitleFor', { title: r.title })}
      busy={busy}
      onSave={(x) => void save(x)}
      onCancel={stopEditing}
    />
  );

  return (
    <section className="panel poll-prep" aria-labelledby="prep-polls-h">
      <h2 id="prep-polls-h">{t('prep.title')}</h2>
      <p className="muted">{closed ? t('prep.readOnly') : t('prep.intro')}</p>
      <ErrorNote error={error} />
      {rows.length === 0 && <p className="muted">{t('room.noAgenda')}</p>}
      <ol className="prep-items">
        {allRows.map((r) => {
          const polls = pollsOf(r);
          const addingHere = editing !== null && editing.pollId === null && editing.itemId === r.id;
          return (
            <li key={r.id ?? 'none'} className={`prep-item depth-${Math.min(r.depth, 2)}`}>
              <div className="prep-item-head">
                <span className="agenda-num">{r.num}</span>
                <h3 className="prep-item-title">{r.title}</h3>
                {r.id !== null && <span className="chip chip-muted">{t(`agendaKind.${r.kind}`)}</span>}
                {!closed && r.id !== null && (
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-label={t('prep.addFor', { title: r.title })}
                    aria-expanded={addingHere}
                    onClick={() => (addingHere ? stopEditing() : startEditing({ itemId: r.id, pollId: null }))}
                  >
                    + {t('prep.add')}
                  </button>
                )}
              </div>
              {polls.length > 0 && (
                <ul className="prep-polls">
                  {polls.map((p) =>
                    editing?.pollId === p.pollId ? (
                      <li key={p.pollId} className="prep-poll prep-poll-editing">
                        {form(r, p)}
                      </li>
                    ) : (
                      <li key={p.pollId} className={`prep-poll prep-poll-${p.status}`}>
                        <div className="prep-poll-main">
                          <p className="prep-poll-title">
                            <strong>{p.title}</strong> <span className={`chip chip-poll-${p.status}`}>{t(`prep.status.${p.status}`)}</span>
                          </p>
                          <PollFacts poll={p} />
                          {p.kind === 'election' && <p className="muted small">{p.options.map((o) => o.label).join(' · ')}</p>}
                        </div>
                        {p.status === 'draft' && !closed && (
                          <div className="prep-poll-actions">
                            {confirmDelete === p.pollId ? (
                              <>
                                <span className="text-warn small">{t('prep.confirmDelete')}</span>
                                <button
                                  type="button"
                                  className="btn btn-small btn-danger"
                                  onClick={() => {
                                    void run(client?.request('poll:delete', { meetingId, pollId: p.pollId })).then(() => setConfirmDelete(null));
                                  }}
                                >
                                  {t('common.delete')}
                                </button>
                                <button type="button" className="btn btn-small" onClick={() => setConfirmDelete(null)}>
                                  {t('prep.keep')}
                                </button>
                              </>
                            ) : (
                              <>
                                <button
                                  type="button"
                                  className="btn btn-small"
                                  aria-label={t('prep.editOf', { title: p.title })}
                                  data-edit={p.pollId}
                                  onClick={() => startEditing({ itemId: p.itemId, pollId: p.pollId })}
                                >
                                  {t('prep.edit')}
                                </button>
                                <button type="button" className="btn btn-small btn-ghost" aria-label={t('prep.deleteOf', { title: p.title })} onClick={() => setConfirmDelete(p.pollId)}>
                                  {t('common.delete')}
                                </button>
                              </>
                            )}
                          </div>
                        )}
                      </li>
                    ),
                  )}
                </ul>
              )}
              {addingHere && <div className="prep-new">{form(r, null)}</div>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
