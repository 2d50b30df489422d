import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PDFDocumentProxy } from 'pdfjs-dist';

function Thumb({ doc, page, active, draw, onPick }: Readonly<{ doc: PDFDocumentProxy; page: number; active: boolean; draw: boolean; onPick: (p: number) => void }>) {
  const { t } = useTranslation();
  const ref = useRef<HTMLButtonElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [seen, setSeen] = useState(false);

  useEffect(() => {
    const el = ref.current;
    if (!el || seen) {
      return;
    }
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        setSeen(true);
        io.disconnect();
      }
    });
    io.observe(el);
    return () => io.disconnect();
  }, [seen]);

  useEffect(() => {
    if (!seen || !draw) {
      return;
    }
    let cancelled = false;
    void (async () => {
      const p = await doc.getPage(page);
      const canvas = canvasRef.current;
      const ctx = canvas?.getContext('2d');
      if (cancelled || !canvas || !ctx) {
        return;
      }
      const vp = p.getViewport({ scale: 96 / p.getViewport({ scale: 1 }).width });
      canvas.width = Math.floor(vp.width);
      canvas.height = Math.floor(vp.height);
      await p.render({ canvas, canvasContext: ctx, viewport: vp }).promise.catch(() => undefined);
    })();
    return () => {
      cancelled = true;
    };
  }, [seen, draw, doc, page]);

  useEffect(() => {
    if (active) {
      ref.current?.scrollIntoView({ block: 'nearest' });
    }
  }, [active]);

  return (
    <button
      ref={ref}
      type="button"
      className={`thumb${active ? ' thumb-active' : ''}`}
      aria-current={active ? 'page' : undefined}
      aria-label={t('reader.goToPage', { page })}
      onClick={() => onPick(page)}
    >
      <canvas ref={canvasRef} aria-hidden="true" />
      <span>{page}</span>
    </button>
  );
}

/**
 * Page thumbnails, each drawn only once it scrolls into the sidebar's view and `draw` is set (the
 * reader sets it after the first page is on screen, so thumbnails never delay it).
 */
export function Thumbnails({ doc, current, draw, onPick }: Readonly<{ doc: PDFDocumentProxy; current: number; draw: boolean; onPick: (p: number) => void }>) {
  const { t } = useTranslation();
  return (
    <nav className="thumbs" aria-label={t('reader.thumbnails')}>
      {Array.from({ length: doc.numPages }, (_, i) => (
        <Thumb key={i + 1} doc={doc} page={i + 1} active={current === i + 1} draw={draw} onPick={onPick} />
      ))}
    </nav>
  );
}
