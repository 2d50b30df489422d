import { useLayoutEffect, useState, type RefObject } from 'react';
import type { Zoom } from './reader-toolbar';

/** Space around pages in the scroll area (CSS .reader-scroll padding and gap). */
export const PAGE_GAP = 16;

/**
 * The zoom the reader chose and the scale it means: "fit" follows the page area's width (window
 * resized, thumbnails or notes toggled), a number is a fixed scale.
 */
export function usePageScale(scrollRef: RefObject<HTMLElement | null>, baseWidth: number): { zoom: Zoom; setZoom: (z: Zoom) => void; scale: number } {
  const [zoom, setZoom] = useState<Zoom>('fit');
  const [areaWidth, setAreaWidth] = useState(800);

  // Layout effect: the first paint already has the right width, not a jump from the default.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) {
      return;
    }
    const ro = new ResizeObserver(() => setAreaWidth(el.clientWidth));
    ro.observe(el);
    setAreaWidth(el.clientWidth);
    return () => ro.disconnect();
  }, [scrollRef]);

  const scale = zoom === 'fit' ? Math.max(0.25, Math.min(4, (areaWidth - 2 * PAGE_GAP) / baseWidth)) : zoom;
  return { zoom, setZoom, scale };
}
