import { useState, type KeyboardEvent } from 'react';

export interface ReaderKeys {
  /** Focus mode: the reader covers the whole window (no header, agenda or live column). */
  readonly focusMode: boolean;
  readonly toggleFocus: () => void;
  /** For the reader's onKeyDown: Escape leaves focus mode; paging keys move between pages. */
  readonly onKeyDown: (e: KeyboardEvent<HTMLElement>) => void;
}

/** Keyboard paging and focus mode. Keys typed into a field (page number, search, notes) stay there. */
export function useReaderKeys(current: number, numPages: number, goTo: (page: number) => void): ReaderKeys {
  const [focusMode, setFocusMode] = useState(false);

  function onKeyDown(e: KeyboardEvent<HTMLElement>) {
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
        goTo(Math.max(1, numPages));
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  return { focusMode, toggleFocus: () => setFocusMode((v) => !v), onKeyDown };
}
