import { GlobalWorkerOptions, getDocument, type PDFDocumentProxy } from 'pdfjs-dist';
// Bundled worker (issue #4): served from our own origin, so the strict CSP holds and no CDN is needed.
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

// Always set: without it pdf.js falls back to a "fake worker" on the main thread (DESIGN.md facts).
GlobalWorkerOptions.workerSrc = workerUrl;

/** Opens a PDF from bytes. `isEvalSupported: false` closes CVE-2024-4367 and keeps the CSP strict. */
export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  const task = getDocument({
    // pdf.js transfers the buffer to the worker; pass a copy so the cached bytes stay usable.
    data: bytes.slice(),
    isEvalSupported: false,
    disableFontFace: false,
    enableXfa: false,
  });
  return task.promise;
}

export type { PDFDocumentProxy };
