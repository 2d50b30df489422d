import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import type { Confidentiality } from '../../../shared/api/documents';
import { useConnection } from '../connection';
import { useSession } from '../session';
import { platform } from '../platform';
import { openPdf } from './pdf';
import { PageView, type PageSize } from './page-view';
import { Thumbnails } from './thumbnails';
import { NotesPanel } from './notes-panel';
import { flushPendingNotes } from './notes-sync';
import { ReaderToolbar, type Zoom } from './reader-toolbar';
import { searchDocument, type PageMatches } from './search';

export interface ReaderDocument {
  readonly meetingId: string;
  readonly id: string;
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  /** Absolute content URL. */
  readonly url: string;
  readonly confidentiality: Confidentiality;
}

const GAP = 16;

/** The document reader on pdf.js: lazy pages, zoom, fit width, thumbnails, search, notes. */
export function PdfReader({ document: d, readerName, onClose }: Readonly<{ document: ReaderDocument; readerName: string; onClose?: () => void }>) {
  const { t } = useTranslation();
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [baseSize, setBaseSize] = useState<PageSize>({ width: 595, height: 842 });
  const [zoom, setZoom] = useState<Zoom>('fit');
  const [containerWidth, setContainerWidth] = useState(800);
  const [visible, setVisible] = useState<ReadonlySet<number>>(new Set([1]));
  const [current, setCurrent] = useState(1);
  const [query, setQuery] = useState('');
  // Results belong to the query they were computed for; a changed query hides stale ones.
  const [found, setFound] = useState<{ query: string; pages: PageMatches[] } | null>(null);
  const matches = found && found.query === query && query.trim().length >= 2 ? found.pages : null;
  const [showThumbs, setShowThumbs] = useState(true);
  const [showNotes, setShowNotes] = useState(false);
  // Focus mode: the reader covers the whole window (no header, agenda or live column); Escape leaves it.
  const [focusMode, setFocusMode] = useState(false);
  const [firstMs, setFirstMs] = useState<number | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const started = useRef(0);
  const [openedAt] = useState(() => new Date());
  const userId = useSession().session?.user.id ?? null;
  const connection = useConnection().state;

  // Notes edited offline (on any document) are pushed when a reader opens and when the connection
  // comes back. After the first page, so it never delays it.
  const drawn = firstMs !== null;
  useEffect(() => {
    if (userId && drawn && connection === 'online') {
      void flushPendingNotes(userId);
    }
  }, [userId, drawn, connection]);

  // Load bytes (cache first) and open the PDF.
  useEffect(() => {
    let live = true;
    let opened: PDFDocumentProxy | null = null;
    // The parent keys the reader by document, so state starts fresh for every document.
    started.current = performance.now();
    performance.mark('ecab:doc-start');
    void (async () => {
      const bytes = await platform.documents.get({ meetingId: d.meetingId, id: d.id, sha256: d.sha256, size: d.size, url: d.url });
      if (!live) {
        return;
      }
      performance.mark('ecab:doc-bytes');
      if (!bytes.ok) {
        setError(bytes.error.code === 'UNREACHABLE' ? 'errors.unreachable' : 'reader.loadFailed');
        return;
      }
      try {
        opened = await openPdf(bytes.value);
        performance.mark('ecab:doc-open');
        const first = await opened.getPage(1);
        const vp = first.getViewport({ scale: 1 });
        if (!live) {
          void opened.destroy();
          return;
        }
        setBaseSize({ width: vp.width, height: vp.height });
        setDoc(opened);
      } catch {
        if (live) {
          setError('reader.loadFailed');
        }
      }
    })();
    return () => {
      live = false;
      void opened?.destroy();
    };
  }, [d.meetingId, d.id, d.sha256, d.size, d.url]);

  // Fit width follows the container's size (window resize, sidebars toggled).
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) {
      return;
    }
    const ro = new ResizeObserver(() => setContainerWidth(el.clientWidth));
    ro.observe(el);
    setContainerWidth(el.clientWidth);
    return () => ro.disconnect();
  }, [doc]);

  const scale = zoom === 'fit' ? Math.max(0.25, Math.min(4, (containerWidth - 2 * GAP) / baseSize.width)) : zoom;

  // Which pages are on (or near) screen: only those get a canvas.
  useEffect(() => {
    const root = scrollRef.current;
    if (!doc || !root) {
      return;
    }
    const io = new IntersectionObserver(
      (entries) => {
        setVisible((prev) => {
          const next = new Set(prev);
          for (const e of entries) {
            const p = Number((e.target as HTMLElement).dataset.page);
            if (e.isIntersecting) {
              next.add(p);
            } else {
              next.delete(p);
            }
          }
          return next;
        });
      },
      { root, rootMargin: '300px 0px' },
    );
    for (const el of Array.from(root.querySelectorAll<HTMLElement>('.pdf-page'))) {
      io.observe(el);
    }
    return () => io.disconnect();
  }, [doc]);

  const pageEl = useCallback((p: number) => scrollRef.current?.querySelector<HTMLElement>(`.pdf-page[data-page="${p}"]`) ?? null, []);

  const goTo = useCallback(
    (p: number) => {
      if (!doc) {
        return;
      }
      const target = Math.max(1, Math.min(doc.numPages, p));
      const el = pageEl(target);
      const root = scrollRef.current;
      if (el && root) {
        root.scrollTop = el.offsetTop - GAP;
      }
      setCurrent(target);
    },
    [doc, pageEl],
  );

  // Keep the current page in view when the zoom changes.
  const currentRef = useRef(current);
  useEffect(() => {
    currentRef.current = current;
  }, [current]);
  useLayoutEffect(() => {
    goTo(currentRef.current);
  }, [scale, goTo]);

  function onScroll() {
    const root = scrollRef.current;
    if (!root || !doc) {
      return;
    }
    const probe = root.scrollTop + root.clientHeight * 0.3;
    let p = 1;
    for (const el of Array.from(root.querySelectorAll<HTMLElement>('.pdf-page'))) {
      if (el.offsetTop <= probe) {
        p = Number(el.dataset.page);
      } else {
        break;
      }
    }
    setCurrent(p);
  }

  // Search runs over all pages' text in the worker; results list pages with hits.
  useEffect(() => {
    if (!doc || query.trim().length < 2) {
      return;
    }
    const ac = new AbortController();
    const timer = setTimeout(() => {
      void searchDocument(doc, query, ac.signal).then((m) => {
        if (!ac.signal.aborted) {
          setFound({ query, pages: m });
          if (m[0]) {
            goTo(m[0].page);
          }
        }
      });
    }, 250);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
  }, [doc, query, goTo]);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key === 'Escape' && focusMode) {
      setFocusMode(false);
      e.preventDefault();
      return;
    }
    const tag = (e.target as HTMLElement).tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') {
      return;
    }
    switch (e.key) {
      case 'PageDown':
      case 'ArrowRight':
        goTo(current + 1);
        break;
      case 'PageUp':
      case 'ArrowLeft':
        goTo(current - 1);
        break;
      case 'Home':
        goTo(1);
        break;
      case 'End':
        goTo(doc?.numPages ?? 1);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  const onRendered = useCallback(() => {
    setFirstMs((ms) => {
      if (ms !== null) {
        return ms;
      }
      const took = performance.now() - started.current;
      performance.mark('ecab:first-page');
      return Math.round(took);
    });
  }, []);

  const watermark = d.confidentiality === 'confidential' ? `${readerName} · ${openedAt.toLocaleString()}` : null;

  return (
    <section
      className={`reader${focusMode ? ' reader-focus' : ''}`}
      aria-label={t('reader.label', { name: d.name })}
      data-first-page-ms={firstMs ?? undefined}
      onKeyDown={onKeyDown}
    >
      <ReaderToolbar
        name={d.name}
        confidential={d.confidentiality === 'confidential'}
        current={current}
        total={doc?.numPages ?? 0}
        zoom={zoom}
        scale={scale}
        onZoom={setZoom}
        onGoTo={goTo}
        query={query}
        onQuery={setQuery}
        matches={matches}
        showThumbs={showThumbs}
        onToggleThumbs={() => setShowThumbs((v) => !v)}
        showNotes={showNotes}
        onToggleNotes={() => setShowNotes((v) => !v)}
        focusMode={focusMode}
        onToggleFocus={() => setFocusMode((v) => !v)}
        onClose={onClose}
      />
      <div className="reader-body">
        {/* Thumbnails and neighbouring pages are drawn only after the first page: they share the one
            pdf.js worker and the main thread, and drew ahead of it (docs/benchmarks.md "Reader"). */}
        {doc && showThumbs && <Thumbnails doc={doc} current={current} onPick={goTo} draw={firstMs !== null} />}
        <div className="reader-scroll" ref={scrollRef} onScroll={onScroll} tabIndex={0} aria-label={t('reader.pages')}>
          {error && (
            <p className="form-error" role="alert">
              {t(error)}
            </p>
          )}
          {!doc && !error && <p className="muted reader-loading">{t('reader.loading')}</p>}
          {doc &&
            Array.from({ length: doc.numPages }, (_, i) => (
              <PageView
                key={i + 1}
                doc={doc}
                page={i + 1}
                scale={scale}
                baseSize={baseSize}
                visible={visible.has(i + 1) && (firstMs !== null || i + 1 === current)}
                query={query.trim().length >= 2 ? query : ''}
                watermark={watermark}
                label={t('reader.pageLabel', { page: i + 1, total: doc.numPages })}
                onRendered={onRendered}
              />
            ))}
        </div>
        {doc && showNotes && userId && <NotesPanel userId={userId} documentId={d.id} page={current} />}
      </div>
    </section>
  );
}
