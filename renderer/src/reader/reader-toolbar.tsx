import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PageMatches } from './search';

export type Zoom = 'fit' | number;
const STEPS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];

interface Props {
  readonly name: string;
  readonly confidential: boolean;
  readonly current: number;
  readonly total: number;
  readonly zoom: Zoom;
  readonly scale: number;
  readonly onZoom: (z: Zoom) => void;
  readonly onGoTo: (p: number) => void;
  readonly query: string;
  readonly onQuery: (q: string) => void;
  readonly matches: PageMatches[] | null;
  readonly showThumbs: boolean;
  readonly onToggleThumbs: () => void;
  readonly showNotes: boolean;
  readonly onToggleNotes: () => void;
  readonly focusMode: boolean;
  readonly onToggleFocus: () => void;
  readonly onClose?: () => void;
}

export function ReaderToolbar(p: Props) {
  const { t } = useTranslation();
  // What the reader is typing, tied to the page it was typed on: scrolling away discards it.
  const [editing, setEditing] = useState<{ value: string; onPage: number } | null>(null);
  const pageInput = editing && editing.onPage === p.current ? editing.value : String(p.current);

  const zoomIn = () => p.onZoom(STEPS.find((s) => s > p.scale + 0.01) ?? STEPS[STEPS.length - 1] ?? 3);
  const zoomOut = () => p.onZoom([...STEPS].reverse().find((s) => s < p.scale - 0.01) ?? STEPS[0] ?? 0.5);
  const hitPages = p.matches ?? [];
  const nextHit = hitPages.find((m) => m.page > p.current) ?? hitPages[0];
  const prevHit = [...hitPages].reverse().find((m) => m.page < p.current) ?? hitPages[hitPages.length - 1];
  const hitCount = hitPages.reduce((a, m) => a + m.count, 0);

  return (
    <div className="reader-toolbar" role="toolbar" aria-label={t('reader.toolbar')}>
      <div className="reader-title">
        <strong title={p.name}>{p.name}</strong>
        {p.confidential && <span className="chip chip-confidential">{t('confidentiality.confidential')}</span>}
      </div>
      <div className="tool-group">
        <button type="button" className="btn btn-icon" onClick={p.onToggleThumbs} aria-pressed={p.showThumbs} aria-label={t('reader.thumbnails')}>
          ▦
        </button>
        <button type="button" className="btn btn-icon" onClick={() => p.onGoTo(p.current - 1)} disabled={p.current <= 1} aria-label={t('reader.prev')}>
          ‹
        </button>
        <form
          className="page-jump"
          onSubmit={(e) => {
            e.preventDefault();
            const n = Number.parseInt(pageInput, 10);
            if (Number.isFinite(n)) {
              p.onGoTo(n);
            }
            setEditing(null);
          }}
        >
          <label>
            <span className="visually-hidden">{t('reader.pageNumber')}</span>
            <input
              aria-label={t('reader.pageNumber')}
              inputMode="numeric"
              value={pageInput}
              onChange={(e) => setEditing({ value: e.target.value.replace(/\D/g, ''), onPage: p.current })}
              size={4}
            />
          </label>
          <span className="muted">/ {p.total || '…'}</span>
          <button type="submit" className="btn btn-small">
            {t('reader.go')}
          </button>
        </form>
        <button
          type="button"
          className="btn btn-icon"
          onClick={() => p.onGoTo(p.current + 1)}
          disabled={p.current >= p.total}
          aria-label={t('reader.next')}
        >
          ›
        </button>
      </div>
      <div className="tool-group">
        <button type="button" className="btn btn-icon" onClick={zoomOut} aria-label={t('reader.zoomOut')}>
          −
        </button>
        <span className="zoom-value" aria-live="polite">
          {Math.round(p.scale * 100)}%
        </span>
        <button type="button" className="btn btn-icon" onClick={zoomIn} aria-label={t('reader.zoomIn')}>
          +
        </button>
        <button type="button" className="btn btn-small" aria-pressed={p.zoom === 'fit'} onClick={() => p.onZoom('fit')}>
          {t('reader.fitWidth')}
        </button>
      </div>
      <div className="tool-group search-group">
        <label>
          <span className="visually-hidden">{t('reader.search')}</span>
          <input type="search" aria-label={t('reader.search')} placeholder={t('reader.searchPlaceholder')} value={p.query} onChange={(e) => p.onQuery(e.target.value)} />
        </label>
        {p.matches && (
          <span className="muted" role="status">
            {hitCount > 0 ? t('reader.hits', { count: hitCount, pages: hitPages.length }) : t('reader.noHits')}
          </span>
        )}
        {hitPages.length > 0 && (
          <>
            <button type="button" className="btn btn-icon" aria-label={t('reader.prevHit')} onClick={() => prevHit && p.onGoTo(prevHit.page)}>
              ▲
            </button>
            <button type="button" className="btn btn-icon" aria-label={t('reader.nextHit')} onClick={() => nextHit && p.onGoTo(nextHit.page)}>
              ▼
            </button>
          </>
        )}
      </div>
      <div className="tool-group">
        <button type="button" className="btn btn-small" aria-pressed={p.showNotes} onClick={p.onToggleNotes}>
          {t('reader.notes')}
        </button>
        <button type="button" className="btn btn-small" aria-pressed={p.focusMode} onClick={p.onToggleFocus} title={t('ui.reader.focusHint')}>
          {t('ui.reader.focus')}
        </button>
        {p.onClose && (
          <button type="button" className="btn btn-small" onClick={p.onClose}>
            {t('common.close')}
          </button>
        )}
      </div>
    </div>
  );
}
