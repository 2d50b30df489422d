import { readFile, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PDFDocument } from '@cantoo/pdf-lib';
import { z } from 'zod';
import { AppError } from '../errors';
import type { RangeWorkerAnswer } from './pdf-range-worker';

const MAGIC = Buffer.from('%PDF-', 'latin1');

/** PDFs only, decided by content, never by the client's file name or Content-Type. */
export function pdfSniff(head: Buffer): Error | undefined {
  if (head.length >= MAGIC.length && head.subarray(0, MAGIC.length).equals(MAGIC)) {
    return undefined;
  }
  return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Only PDF documents can be uploaded: the file does not start with %PDF-');
}

export const PDF_SNIFF_BYTES = MAGIC.length;

const CHUNK = 64 * 1024;
/** Up to this size a file is parsed in memory with pdf-lib (fast, no pdf.js start-up); beyond, by ranges. */
export const IN_MEMORY_PARSE_BYTES = 8 * 1024 * 1024;

export interface PdfInspection {
  readonly pages: number;
  /** Bytes actually read from the file (the page tree and cross-references, not the whole file). */
  readonly bytesRead: number;
}

/**
 * Page count of a PDF on disk. Small files (≤ IN_MEMORY_PARSE_BYTES) are read and parsed with pdf-lib.
 * Larger ones are never read whole: pdf.js (in a worker thread) loads through a range transport that
 * reads only the chunks it asks for (trailer, cross-reference table, page tree), so a 200 MB upload
 * costs a few hundred kilobytes of reads, not 200 MB of heap (plus the parsed objects) per concurrent
 * upload. A damaged file makes pdf.js rebuild the cross-references by scanning, which reads more, still
 * chunk by chunk. A file that starts like a PDF but cannot be parsed is refused (415) rather than
 * stored, so every client can open what the manifest lists.
 */
export async function inspectPdf(path: string): Promise<PdfInspection> {
  const size = (await stat(path)).size;
  if (size <= IN_MEMORY_PARSE_BYTES) {
    return { pages: await pagesInMemory(path), bytesRead: size };
  }
  const answer = await inspectInWorker({ path, size, chunk: CHUNK });
  if (!answer.ok) {
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `The file starts like a PDF but cannot be read as one (${answer.message})`);
  }
  if (answer.pages < 1) {
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The PDF has no pages');
  }
  return { pages: answer.pages, bytesRead: answer.bytesRead };
}

const WorkerAnswer = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), pages: z.number().int(), bytesRead: z.number().int() }),
  z.object({ ok: z.literal(false), message: z.string() }),
]);

/** tsx's ESM API entry, by its package's export map (the module runner of the tests has no import.meta.resolve). */
function tsxEsmApiUrl(): string {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('tsx/package.json');
  const pkg = z
    .object({ exports: z.object({ './esm/api': z.object({ import: z.object({ default: z.string() }) }) }) })
    .parse(JSON.parse(readFileSync(pkgPath, 'utf8')));
  return pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api'].import.default)).href;
}

/**
 * The worker is TypeScript like the rest of the server, loaded through tsx's own API (tsx is a runtime
 * dependency: `npm start` runs the server with it). A thread does not inherit the parent's loader hooks
 * on Node 20, and `--import tsx` in a Worker's execArgv is not applied there, so the thread registers
 * tsx itself before importing the worker module. Built at the first large upload (reading tsx's
 * package.json), then kept.
 */
let boot: string | undefined;
const workerBoot = (): string =>
  (boot ??= `import(${JSON.stringify(tsxEsmApiUrl())})
  .then(({ tsImport }) => tsImport(${JSON.stringify(new URL('./pdf-range-worker.ts', import.meta.url).href)}, ${JSON.stringify(import.meta.url)}));`);

/** pdf.js by ranges in a worker thread of its own (why: pdf-range-worker.ts); one thread per large upload. */
function inspectInWorker(input: { path: string; size: number; chunk: number }): Promise<RangeWorkerAnswer> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerBoot(), { eval: true, workerData: input });
    let settled = false;
    worker.once('message', (msg: unknown) => {
      settled = true;
      const parsed = WorkerAnswer.safeParse(msg);
      resolve(parsed.success ? parsed.data : { ok: false, message: 'the PDF reader answered nonsense' });
      void worker.terminate();
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) {
        reject(new Error(`PDF reader thread exited with code ${code} before answering`));
      }
    });
  });
}

async function pagesInMemory(path: string): Promise<number> {
  let pages: number;
  try {
    const doc = await PDFDocument.load(await readFile(path), { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
    pages = doc.getPageCount();
  } catch (err) {
    const why = err instanceof Error ? err.message.slice(0, 200) : 'unknown error';
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `The file starts like a PDF but cannot be read as one (${why})`);
  }
  if (pages < 1) {
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The PDF has no pages');
  }
  return pages;
}

export async function countPdfPages(path: string): Promise<number> {
  return (await inspectPdf(path)).pages;
}
