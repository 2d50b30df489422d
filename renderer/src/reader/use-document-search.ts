import { useEffect, useState } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { searchDocument, type PageMatches } from './search';

/** Shorter queries match almost everywhere and are neither searched nor highlighted. */
const MIN_QUERY = 2;
/** Typing pauses this long before a search starts. */
const TYPING_MS = 250;

export interface DocumentSearch {
  readonly query: string;
  readonly setQuery: (q: string) => void;
  /** Pages with hits for the current query; null while none were computed for it. */
  readonly matches: PageMatches[] | null;
  /** What the pages highlight ('' for nothing). */
  readonly highlight: string;
}

/**
 * Search over all pages' text (extracted in the pdf.js worker); moves to the first page with a hit.
 * An effect, not a query: it runs over the open pdf.js document, local to this reader, and is
 * cancelled as soon as the query changes.
 */
export function useDocumentSearch(doc: PDFDocumentProxy | null, goTo: (page: number) => void): DocumentSearch {
  const [query, setQuery] = useState('');
  // Results belong to the query they were computed for; a changed query hides stale ones.
  const [found, setFound] = useState<{ query: string; pages: PageMatches[] } | null>(null);
  const searchable = query.trim().length >= MIN_QUERY;

  useEffect(() => {
    if (!doc || !searchable) {
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
    }, TYPING_MS);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
  }, [doc, query, searchable, goTo]);

  return {
    query,
    setQuery,
    matches: found && found.query === query && searchable ? found.pages : null,
    highlight: searchable ? query : '',
  };
}
