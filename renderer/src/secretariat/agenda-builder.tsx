import { useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgendaItem, AgendaKind } from '../../../shared/api/meetings';
import { endpoints } from '../api/endpoints';
import { ErrorNote } from '../components/error-note';
import { optionLabel } from './option-label';
import { dropBefore, flatten, move, toNodes, type Move, type Node } from './agenda-tree';

/** Agenda builder: add, nest, reorder by drag and drop or by keyboard-operable buttons. */
export function AgendaBuilder({ meetingId, agenda, onChanged }: Readonly<{ meetingId: string; agenda: AgendaItem[]; onChanged: () => void }>) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [presenter, setPresenter] = useState('');
  const [kind, setKind] = useState<AgendaKind>('report');
  const [parentId, setParentId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const tree = toNodes(agenda);

  async function save(next: Node[]) {
    try {
      setError(null);
      await endpoints.reorderAgenda(meetingId, flatten(next));
      onChanged();
    } catch (e) {
      setError(e);
    }
  }

  async function add() {
    try {
      setError(null);
      await endpoints.addAgendaItem(meetingId, { title: title.trim(), kind, presenter: presenter.trim(), parentId: parentId || null });
      setTitle('');
      setPresenter('');
      // The next item starts at the top level again: a kept parent silently nested the following items.
      setParentId('');
      onChanged();
    } catch (e) {
      setError(e);
    }
  }

  const flatForSelect: { id: string; label: string }[] = [];
  const walk = (nodes: Node[], prefix: string) =>
    nodes.forEach((n, i) => {
      flatForSelect.push({ id: n.id, label: `${prefix}${i + 1}. ${n.title}` });
      walk(n.children, `${prefix}${i + 1}.`);
    });
  walk(tree, '');

  function render(nodes: Node[], prefix: string) {
    return (
      <ol className="builder-list">
        {nodes.map((n, i) => {
          const btn = (m: Move, label: string, glyph: string) => (
            <button type="button" className="btn btn-icon btn-small" aria-label={`${label}: ${n.title}`} title={label} onClick={() => void save(move(tree, n.id, m))}>
              {glyph}
            </button>
          );
          return (
            <li
              key={n.id}
              draggable
              onDragStart={(e: DragEvent) => {
                e.stopPropagation();
                e.dataTransfer.setData('text/plain', n.id);
                setDragging(n.id);
              }}
              onDragEnd={() => setDragging(null)}
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => {
                e.preventDefault();
                e.stopPropagation();
                const id = e.dataTransfer.getData('text/plain');
                setDragging(null);
                if (id) {
                  void save(dropBefore(tree, id, n.id));
                }
              }}
              className={dragging === n.id ? 'dragging' : undefined}
            >
              <div className="builder-row">
                <span className="drag-handle" aria-hidden="true">
                  ⋮⋮
                </span>
                <span className="agenda-num">
                  {prefix}
                  {i + 1}.
                </span>
                <span className="builder-title">{n.title}</span>
                <span className="chip chip-muted">{t(`agendaKind.${n.kind}`)}</span>
                <span className="builder-actions">
                  {btn('up', t('agenda.moveUp'), '↑')}
                  {btn('down', t('agenda.moveDown'), '↓')}
                  {btn('outdent', t('agenda.outdent'), '←')}
                  {btn('indent', t('agenda.indent'), '→')}
                  <button
                    type="button"
                    className="btn btn-icon btn-small btn-ghost"
                    aria-label={`${t('common.delete')}: ${n.title}`}
                    onClick={() => {
                      endpoints
                        .deleteAgendaItem(n.id)
                        .then(onChanged)
                        .catch(setError);
                    }}
                  >
                    ✕
                  </button>
                </span>
              </div>
              {n.children.length > 0 && render(n.children, `${prefix}${i + 1}.`)}
            </li>
          );
        })}
      </ol>
    );
  }

  return (
    <section className="panel" aria-labelledby="builder-h">
      <h2 id="builder-h">{t('agenda.title')}</h2>
      {tree.length === 0 ? <p className="muted">{t('room.noAgenda')}</p> : render(tree, '')}
      <p className="muted small">{t('agenda.dragHint')}</p>
      <form
        className="builder-add"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <h3>{t('agenda.add')}</h3>
        <label className="field">
          <span>{t('agenda.itemTitle')}</span>
          <input value={title} onChange={(e) => setTitle(e.target.value)} required />
        </label>
        <div className="row">
          <label className="field">
            <span>{t('agenda.kind')}</span>
            <select value={kind} onChange={(e) => setKind(e.target.value as AgendaKind)}>
              <option value="report">{t('agendaKind.report')}</option>
              <option value="resolution">{t('agendaKind.resolution')}</option>
              <option value="election">{t('agendaKind.election')}</option>
            </select>
          </label>
          <label className="field">
            <span>{t('agenda.presenter')}</span>
            <input value={presenter} onChange={(e) => setPresenter(e.target.value)} />
          </label>
          <label className="field">
            <span>{t('agenda.parent')}</span>
            <select value={parentId} onChange={(e) => setParentId(e.target.value)} title={flatForSelect.find((o) => o.id === parentId)?.label}>
              <option value="">{t('agenda.topLevel')}</option>
              {flatForSelect.map((o) => (
                <option key={o.id} value={o.id}>
                  {optionLabel(o.label)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <button type="submit" className="btn btn-primary" disabled={!title.trim()}>
          {t('agenda.addButton')}
        </button>
      </form>
      <ErrorNote error={error} />
    </section>
  );
}
