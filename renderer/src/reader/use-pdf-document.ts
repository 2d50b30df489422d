import { useEffect, useState } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import type { Confidentiality } from '../../../shared/api/documents';
import { platform } from '../platform';
import { openPdf } from './pdf';
import type { PageSize } from './page-view';

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

export interface LoadedPdf {
  readonly doc: PDFDocumentProxy | null;
  /** Page 1's size at scale 1: every page's placeholder until its own size is known. */
  readonly baseSize: PageSize;
  /** i18n key of why the document cannot be shown. */
  readonly error: string | null;
}

const A4: PageSize = { width: 595, height: 842 };

/**
 * The document's bytes (the device's copy first) opened in pdf.js.
 * An effect rather than a query: the result is a live pdf.js document that holds memory in the worker
 * and must be destroyed when this reader closes; a shared cache would keep it alive or hand it to a
 * second reader that then destroys it under the first. The bytes come from the host's document cache
 * (IndexedDB or the desktop's sealed files), which already dedups and works offline.
 */
export function usePdfDocument(d: ReaderDocument): LoadedPdf {
  const [loaded, setLoaded] = useState<LoadedPdf>({ doc: null, baseSize: A4, error: null });
  const { meetingId, id, sha256, size, url } = d;

  useEffect(() => {
    // Aborted on cleanup: every await below may settle after the reader closed.
    const closed = new AbortController();
    let opened: PDFDocumentProxy | null = null;
    // The parent keys the reader by document, so state starts fresh for every document.
    performance.mark('ecab:doc-start');
    void (async () => {
      const bytes = await platform.documents.get({ meetingId, id, sha256, size, url });
      if (closed.signal.aborted) {
        return;
      }
      performance.mark('ecab:doc-bytes');
      if (!bytes.ok) {
        setLoaded((s) => ({ ...s, error: bytes.error.code === 'UNREACHABLE' ? 'errors.unreachable' : 'reader.loadFailed' }));
        return;
      }
      try {
        const doc = await openPdf(bytes.value);
        if (closed.signal.aborted) {
          // Closed while it opened: the cleanup had nothing to destroy yet.
          void doc.destroy();
          return;
        }
        opened = doc;
        performance.mark('ecab:doc-open');
        const vp = (await doc.getPage(1)).getViewport({ scale: 1 });
        if (!closed.signal.aborted) {
          setLoaded({ doc, baseSize: { width: vp.width, height: vp.height }, error: null });
        }
      } catch {
        if (!closed.signal.aborted) {
          setLoaded((s) => ({ ...s, error: 'reader.loadFailed' }));
        }
      }
    })();
    return () => {
      closed.abort();
      void opened?.destroy();
    };
  }, [meetingId, id, sha256, size, url]);

  return loaded;
}
