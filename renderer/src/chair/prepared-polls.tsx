import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgendaItemView, PollView } from '../../../shared/room/events';
import { PollFacts } from '../voting/poll-facts';

/**
 * The prepared (draft) polls in the chair's console: those of the current agenda item
 * first, each opened with one click, its rule shown; the others folded away below.
 */
export function PreparedPolls({
  drafts,
  agenda,
  currentItemId,
  disabled,
  onOpen,
  paperEntry,
}: Readonly<{
  drafts: PollView[];
  agenda: AgendaItemView[];
  currentItemId: string | null;
  disabled: boolean;
  onOpen: (p: PollView) => void;
  /** Secret polls may be counted on paper instead: the entry form for the counting committee's figures. */
  paperEntry?: (p: PollView) => ReactNode;
}>) {
  const { t } = useTranslation();
  const here = drafts.filter((p) => p.itemId === currentItemId);
  const other = drafts.filter((p) => p.itemId !== currentItemId);
  const itemTitle = (id: string | null) => agenda.find((a) => a.id === id)?.title ?? '';

  const card = (p: PollView, showItem: boolean) => (
    <li key={p.pollId} className="prepared-card">
      <div className="prepared-main">
        <p className="prepared-title">{p.title}</p>
        {showItem && p.itemId && <p className="muted small">{itemTitle(p.itemId)}</p>}
        {p.replacesPollId && p.reason && <p className="text-warn small">{t('chair.revoteOf', { reason: p.reason })}</p>}
        <PollFacts poll={p} />
        {p.secret && paperEntry?.(p)}
      </div>
      <button type="button" className="btn btn-primary" disabled={disabled} aria-label={t('chair.openPrepared', { title: p.title })} onClick={() => onOpen(p)}>
        {t('chair.open')}
      </button>
    </li>
  );

  return (
    <div className="prepared">
      <h3>{t('chair.preparedForItem')}</h3>
      {here.length > 0 ? <ul className="prepared-list">{here.map((p) => card(p, false))}</ul> : <p className="muted">{t('chair.noPrepared')}</p>}
      {other.length > 0 && (
        <details className="prepared-other">
          <summary>{t('chair.preparedOther', { count: other.length })}</summary>
          <ul className="prepared-list">{other.map((p) => card(p, true))}</ul>
        </details>
      )}
    </div>
  );
}
