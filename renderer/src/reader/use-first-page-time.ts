import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Milliseconds from opening the reader to its first page drawn (null until then), shown on the reader
 * as data-first-page-ms for the benchmarks (docs/benchmarks.md "Reader"). Neighbouring pages and
 * thumbnails wait for it, so they never delay it.
 */
export function useFirstPageTime(): { firstMs: number | null; onRendered: () => void } {
  const [firstMs, setFirstMs] = useState<number | null>(null);
  const started = useRef(0);
  // The reader is keyed by document, so mounting is opening. Declared before the document load, so
  // this runs first and the figure covers the whole load.
  useEffect(() => {
    started.current = performance.now();
  }, []);

  const onRendered = useCallback(() => {
    setFirstMs((ms) => {
      if (ms !== null) {
        return ms;
      }
      performance.mark('ecab:first-page');
      return Math.round(performance.now() - started.current);
    });
  }, []);

  return { firstMs, onRendered };
}
