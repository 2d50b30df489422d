import { GlobalWorkerOptions, PDFWorker, getDocument, type PDFDocumentProxy } from 'pdfjs-dist';
// Bundled worker: served from our own origin, so the strict CSP holds and no CDN is needed.
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

// Always set: without it pdf.js falls back to a "fake worker" on the main thread (docs/architecture.md facts).
GlobalWorkerOptions.workerSrc = workerUrl;

let worker: PDFWorker | null = null;
let warmed = false;

type DocumentInitParameters = Exclude<Parameters<typeof getDocument>[0], string | URL | ArrayBuffer | Uint8Array | undefined>;

/** The options every document opens with. */
function params(data: Uint8Array, w: PDFWorker): DocumentInitParameters {
  return {
    data,
    worker: w,
    // CVE-2024-4367: no eval of font programs; also keeps the CSP strict (no 'unsafe-eval').
    isEvalSupported: false,
    // Glyphs drawn as paths instead of loading each embedded font through the FontFace API: halves
    // the first page's draw time of the text report (docs/benchmarks.md "Reader"); same output.
    disableFontFace: true,
    enableXfa: false,
  };
}

/** A one-page vector PDF (a filled rectangle), built with correct xref offsets. */
function tinyPdf(): Uint8Array {
  const content = '0.9 0.9 0.9 rg 10 10 180 180 re f 0 0 0 RG 1 w 20 20 m 180 180 l S';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << >> /Contents 4 0 R >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((n) => `${String(n).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

/**
 * Runs one tiny document through the whole pipeline (worker parse, operator list, canvas draw) so the
 * first real document does not pay for compiling pdf.js' code paths in both threads: on the 2-core
 * reference machine that was most of the gap between the first open of a session and later ones
 * (docs/benchmarks.md "Reader"). Runs when the main thread is idle; failures only cost the warm-up.
 */
async function warmPipeline(w: PDFWorker): Promise<void> {
  const doc = await getDocument(params(tinyPdf(), w)).promise;
  try {
    const page = await doc.getPage(1);
    const canvas = document.createElement('canvas');
    canvas.width = 200;
    canvas.height = 200;
    const ctx = canvas.getContext('2d', { alpha: false });
    if (ctx) {
      await page.render({ canvas, canvasContext: ctx, viewport: page.getViewport({ scale: 1 }) }).promise;
    }
  } finally {
    await doc.destroy();
  }
}

/**
 * Starts the pdf.js worker ahead of time (the meeting room calls this on entry): spinning up the
 * worker and parsing its 1 MB script is the largest fixed cost of the first page drawn. Then warms the
 * rendering pipeline once, when the browser is idle.
 */
export function warmPdfWorker(): PDFWorker {
  worker ??= new PDFWorker();
  if (!warmed && typeof document !== 'undefined') {
    warmed = true;
    const w = worker;
    const run = () => void warmPipeline(w).catch(() => undefined);
    if (typeof requestIdleCallback === 'function') {
      requestIdleCallback(run, { timeout: 500 });
    } else {
      setTimeout(run, 0);
    }
  }
  return worker;
}

/** Opens a PDF from bytes. `isEvalSupported: false` closes CVE-2024-4367 and keeps the CSP strict. */
export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  // pdf.js transfers the buffer to the worker; pass a copy so the cached bytes stay usable.
  return getDocument(params(bytes.slice(), warmPdfWorker())).promise;
}

export type { PDFDocumentProxy };
