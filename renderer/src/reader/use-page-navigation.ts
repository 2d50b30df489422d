import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { PAGE_GAP } from './use-page-scale';

export interface PageNavigation {
  /** The page the reader is on: the one crossing the upper third of the page area. */
  readonly current: number;
  /** Scrolls to a page (clamped to the document). */
  readonly goTo: (page: number) => void;
  /** For the scroll area's onScroll: follows the reader's scrolling. */
  readonly onScroll: () => void;
}

/** Current page and moving between pages in the scroll area; the current page stays in view across zooms. */
export function usePageNavigation(scrollRef: RefObject<HTMLElement | null>, numPages: number, scale: number): PageNavigation {
  const [current, setCurrent] = useState(1);

  const goTo = useCallback(
    (p: number) => {
      if (numPages === 0) {
        return;
      }
      const target = Math.max(1, Math.min(numPages, p));
      const root = scrollRef.current;
      const el = root?.querySelector<HTMLElement>(`.pdf-page[data-page="${target}"]`);
      if (el && root) {
        root.scrollTop = el.offsetTop - PAGE_GAP;
      }
      setCurrent(target);
    },
    [scrollRef, numPages],
  );

  // Read by the zoom effect below without making every page change re-run it.
  const currentRef = useRef(current);
  useEffect(() => {
    currentRef.current = current;
  }, [current]);
  // Before paint, so a zoom never shows another page first.
  useLayoutEffect(() => {
    goTo(currentRef.current);
  }, [scale, goTo]);

  const onScroll = useCallback(() => {
    const root = scrollRef.current;
    if (!root || numPages === 0) {
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
  }, [scrollRef, numPages]);

  return { current, goTo, onScroll };
}
