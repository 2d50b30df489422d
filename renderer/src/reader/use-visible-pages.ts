import { useEffect, useState, type RefObject } from 'react';

/** Pages closer than this to the viewport count as visible, so they are drawn before they scroll in. */
const AHEAD = '300px 0px';

/**
 * Which pages are on (or near) screen: only those get a canvas (≈ 3.5 MB each, docs/architecture.md).
 * Watches the `.pdf-page` elements inside the scroll area; `numPages` changes when they are rendered.
 */
export function useVisiblePages(scrollRef: RefObject<HTMLElement | null>, numPages: number): ReadonlySet<number> {
  const [visible, setVisible] = useState<ReadonlySet<number>>(() => new Set([1]));

  useEffect(() => {
    const root = scrollRef.current;
    if (numPages === 0 || !root) {
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
      { root, rootMargin: AHEAD },
    );
    for (const el of Array.from(root.querySelectorAll<HTMLElement>('.pdf-page'))) {
      io.observe(el);
    }
    return () => io.disconnect();
  }, [scrollRef, numPages]);

  return visible;
}
