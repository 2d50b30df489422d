import { GlobalWorkerOptions, PDFWorker, getDocument, type PDFDocumentProxy } from 'pdfjs-dist';
// Bundled worker (issue #4): served from our own origin, so the strict CSP holds and no CDN is needed.
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

// Always set: without it pdf.js falls back to a "fake worker" on the main thread (DESIGN.md facts).
GlobalWorkerOptions.workerSrc = workerUrl;

let worker: PDFWorker | null = null;

/**
 * Starts the pdf.js worker ahead of time (the meeting room calls this on entry): spinning up the
 * worker and parsing its 1 MB script is the largest fixed cost of the first page drawn.
 */
export function warmPdfWorker(): PDFWorker {
  worker ??= new PDFWorker();
  return worker;
}

/** Opens a PDF from bytes. `isEvalSupported: false` closes CVE-2024-4367 and keeps the CSP strict. */
export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  const task = getDocument({
    // pdf.js transfers the buffer to the worker; pass a copy so the cached bytes stay usable.
    data: bytes.slice(),
    worker: warmPdfWorker(),
    isEvalSupported: false,
    // Glyphs drawn as paths instead of loading each embedded font through the FontFace API: halves
    // the first page's draw time of the text report (docs/benchmarks.md "Reader"); same output.
    disableFontFace: true,
    enableXfa: false,
  });
  return task.promise;
}

export type { PDFDocumentProxy };
