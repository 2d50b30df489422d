import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session';
import { NotesPanel } from './notes-panel';
import { ReaderPages } from './reader-pages';
import { ReaderToolbar } from './reader-toolbar';
import { Thumbnails } from './thumbnails';
import { useDocumentSearch } from './use-document-search';
import { useFirstPageTime } from './use-first-page-time';
import { useFlushPendingNotes } from './use-notes';
import { usePageNavigation } from './use-page-navigation';
import { usePageScale } from './use-page-scale';
import { usePdfDocument, type ReaderDocument } from './use-pdf-document';
import { useReaderKeys } from './use-reader-keys';
import { useVisiblePages } from './use-visible-pages';

export type { ReaderDocument };

/**
 * The document reader on pdf.js: lazy pages, zoom, fit width, thumbnails, search, notes, focus mode.
 * The parent keys it by document, so every document starts from a fresh reader.
 */
export function PdfReader({ document: d, readerName, onClose }: Readonly<{ document: ReaderDocument; readerName: string; onClose?: () => void }>) {
  const { t } = useTranslation();
  const userId = useSession().session?.user.id ?? null;
  const scrollRef = useRef<HTMLDivElement>(null);
  const { firstMs, onRendered } = useFirstPageTime();
  const firstDrawn = firstMs !== null;
  const { doc, baseSize, error } = usePdfDocument(d);
  const numPages = doc?.numPages ?? 0;
  const { zoom, setZoom, scale } = usePageScale(scrollRef, baseSize.width);
  const visible = useVisiblePages(scrollRef, numPages);
  const { current, goTo, onScroll } = usePageNavigation(scrollRef, numPages, scale);
  const search = useDocumentSearch(doc, goTo);
  const { focusMode, toggleFocus, onKeyDown } = useReaderKeys(current, numPages, goTo);
  const [showThumbs, setShowThumbs] = useState(true);
  const [showNotes, setShowNotes] = useState(false);
  const [openedAt] = useState(() => new Date());
  useFlushPendingNotes(userId, firstDrawn);

  const confidential = d.confidentiality === 'confidential';
  const watermark = confidential ? `${readerName} · ${openedAt.toLocaleString()}` : null;

  return (
    <section
      className={`reader${focusMode ? ' reader-focus' : ''}`}
      aria-label={t('reader.label', { name: d.name })}
      data-first-page-ms={firstMs ?? undefined}
      onKeyDown={onKeyDown}
    >
      <ReaderToolbar
        name={d.name}
        confidential={confidential}
        current={current}
        total={numPages}
        zoom={zoom}
        scale={scale}
        onZoom={setZoom}
        onGoTo={goTo}
        query={search.query}
        onQuery={search.setQuery}
        matches={search.matches}
        showThumbs={showThumbs}
        onToggleThumbs={() => setShowThumbs((v) => !v)}
        showNotes={showNotes}
        onToggleNotes={() => setShowNotes((v) => !v)}
        focusMode={focusMode}
        onToggleFocus={toggleFocus}
        onClose={onClose}
      />
      <div className="reader-body">
        {/* Thumbnails and neighbouring pages are drawn only after the first page: they share the one
            pdf.js worker and the main thread, and drew ahead of it (docs/benchmarks.md "Reader"). */}
        {doc && showThumbs && <Thumbnails doc={doc} current={current} onPick={goTo} draw={firstDrawn} />}
        <div className="reader-scroll" ref={scrollRef} onScroll={onScroll} tabIndex={0} aria-label={t('reader.pages')}>
          {error && (
            <p className="form-error" role="alert">
              {t(error)}
            </p>
          )}
          {!doc && !error && <p className="muted reader-loading">{t('reader.loading')}</p>}
          {doc && (
            <ReaderPages
              doc={doc}
              scale={scale}
              baseSize={baseSize}
              visible={visible}
              current={current}
              firstDrawn={firstDrawn}
              highlight={search.highlight}
              watermark={watermark}
              onRendered={onRendered}
            />
          )}
        </div>
        {doc && showNotes && userId && <NotesPanel userId={userId} documentId={d.id} page={current} />}
      </div>
    </section>
  );
}
