import { useTranslation } from 'react-i18next';
import type { AgendaItem } from '../../../shared/api/meetings';

/** The agenda tree; the chair's current item is marked, the one being viewed is selected. */
export function AgendaSidebar({
  agenda,
  currentItemId,
  selectedId,
  onSelect,
}: Readonly<{ agenda: AgendaItem[]; currentItemId: string | null; selectedId: string | null; onSelect: (id: string) => void }>) {
  const { t } = useTranslation();
  function list(items: AgendaItem[], prefix: string) {
    return (
      <ol className="agenda-tree">
        {items.map((it, i) => {
          const num = `${prefix}${i + 1}`;
          const current = it.id === currentItemId;
          return (
            <li key={it.id}>
              <button
                type="button"
                className={`agenda-item${current ? ' agenda-current' : ''}${it.id === selectedId ? ' agenda-selected' : ''}`}
                aria-current={current ? 'step' : undefined}
                onClick={() => onSelect(it.id)}
              >
                <span className="agenda-num">{num}.</span>
                <span className="agenda-title">
                  {it.title}
                  {current && <span className="chip chip-live agenda-now">{t('room.now')}</span>}
                </span>
                {it.documentIds.length > 0 && (
                  <span className="agenda-docs" aria-label={t('room.docCount', { count: it.documentIds.length })}>
                    {it.documentIds.length}
                  </span>
                )}
              </button>
              {it.children.length > 0 && list(it.children, `${num}.`)}
            </li>
          );
        })}
      </ol>
    );
  }
  return (
    <nav className="agenda-sidebar" aria-label={t('room.agenda')}>
      <h2>{t('room.agenda')}</h2>
      {agenda.length === 0 ? <p className="muted">{t('room.noAgenda')}</p> : list(agenda, '')}
    </nav>
  );
}
