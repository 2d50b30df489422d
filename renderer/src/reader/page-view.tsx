import { useEffect, useRef, useState } from 'react';
import { TextLayer, type PDFDocumentProxy, type RenderTask } from 'pdfjs-dist';
import { highlightTextLayer } from './search';

export interface PageSize {
  readonly width: number;
  readonly height: number;
}

interface Props {
  readonly doc: PDFDocumentProxy;
  readonly page: number;
  readonly scale: number;
  /** Size at scale 1 (page 1's size until this page is loaded). */
  readonly baseSize: PageSize;
  readonly visible: boolean;
  readonly query: string;
  readonly watermark: string | null;
  readonly label: string;
  readonly onRendered?: (page: number) => void;
}

// Canvas memory is the limit on tablets (≈ 3.5 MB per page): cap the backing store's pixel ratio.
const MAX_RATIO = 2;

/**
 * One page: a placeholder of the right size always, a canvas and text layer only while visible
 * (render only visible pages).
 */
export function PageView({ doc, page, scale, baseSize, visible, query, watermark, label, onRendered }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const textRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<PageSize>(baseSize);
  const onRenderedRef = useRef(onRendered);
  useEffect(() => {
    onRenderedRef.current = onRendered;
  }, [onRendered]);
  // The canvas is current only for the scale it was drawn at.
  const [renderedAt, setRenderedAt] = useState<number | null>(null);
  const rendered = visible && renderedAt === scale;

  useEffect(() => {
    if (!visible) {
      return;
    }
    let cancelled = false;
    let task: RenderTask | null = null;
    let textLayer: TextLayer | null = null;
    void (async () => {
      const p = await doc.getPage(page);
      if (cancelled) {
        return;
      }
      const viewport = p.getViewport({ scale });
      const unscaled = p.getViewport({ scale: 1 });
      setSize({ width: unscaled.width, height: unscaled.height });
      const canvas = canvasRef.current;
      const ctx = canvas?.getContext('2d', { alpha: false });
      if (!canvas || !ctx) {
        return;
      }
      const ratio = Math.min(window.devicePixelRatio || 1, MAX_RATIO);
      canvas.width = Math.floor(viewport.width * ratio);
      canvas.height = Math.floor(viewport.height * ratio);
      task = p.render({
        canvas,
        canvasContext: ctx,
        viewport,
        transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : undefined,
      });
      try {
        await task.promise;
      } catch {
        return; // cancelled by scrolling away or zooming
      }
      if (cancelled) {
        return;
      }
      setRenderedAt(scale);
      onRenderedRef.current?.(page);
      const layer = textRef.current;
      if (layer) {
        layer.replaceChildren();
        textLayer = new TextLayer({ textContentSource: p.streamTextContent(), container: layer, viewport });
        try {
          await textLayer.render();
        } catch {
          return;
        }
        if (!cancelled) {
          highlightTextLayer(layer, query);
        }
      }
    })();
    return () => {
      cancelled = true;
      task?.cancel();
      textLayer?.cancel();
    };
    // query is applied by the effect below without re-rendering the canvas.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [doc, page, scale, visible]);

  useEffect(() => {
    if (rendered && textRef.current) {
      highlightTextLayer(textRef.current, query);
    }
  }, [query, rendered]);

  // Free the canvas' backing store when the page leaves the screen.
  useEffect(() => {
    if (!visible && canvasRef.current) {
      canvasRef.current.width = 0;
      canvasRef.current.height = 0;
    }
  }, [visible]);

  const w = Math.floor(size.width * scale);
  const h = Math.floor(size.height * scale);
  return (
    <div
      className="pdf-page"
      data-page={page}
      data-rendered={rendered ? 'true' : 'false'}
      role="region"
      aria-label={label}
      style={{ width: w, height: h, ['--scale-factor' as string]: scale, ['--total-scale-factor' as string]: scale }}
    >
      {visible && <canvas ref={canvasRef} style={{ width: w, height: h }} aria-hidden="true" />}
      {visible && <div ref={textRef} className="textLayer" />}
      {watermark && (
        <div className="watermark" aria-hidden="true">
          {Array.from({ length: 6 }, (_, i) => (
            <span key={i}>{watermark}</span>
          ))}
        </div>
      )}
    </div>
  );
}
