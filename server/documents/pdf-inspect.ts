import { open, readFile, stat } from 'node:fs/promises';
import { PDFDocument } from '@cantoo/pdf-lib';
import { getDocument, PDFDataRangeTransport } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { AppError } from '../errors';

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
 * Larger ones are never read whole: pdf.js loads through a range transport that
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
  const fh = await open(path, 'r');
  let bytesRead = 0;
  const readAt = async (begin: number, end: number): Promise<Uint8Array> => {
    const buf = Buffer.alloc(end - begin);
    const { bytesRead: n } = await fh.read(buf, 0, buf.length, begin);
    bytesRead += n;
    return new Uint8Array(buf.buffer, buf.byteOffset, n);
  };
  try {
    const first = await readAt(0, Math.min(CHUNK, size));
    class FileTransport extends PDFDataRangeTransport {
      override requestDataRange(begin: number, end: number): void {
        readAt(begin, end).then(
          (chunk) => this.onDataRange(begin, chunk),
          () => this.abort(),
        );
      }
    }
    const task = getDocument({
      range: new FileTransport(size, first),
      length: size,
      rangeChunkSize: CHUNK,
      disableAutoFetch: true,
      disableStream: true,
      isEvalSupported: false,
      verbosity: 0,
    });
    let pages: number;
    try {
      const doc = await task.promise;
      pages = doc.numPages;
    } catch (err) {
      const why = err instanceof Error ? err.message.slice(0, 200) : 'unknown error';
      throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `The file starts like a PDF but cannot be read as one (${why})`);
    } finally {
      await task.destroy();
    }
    if (pages < 1) {
      throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The PDF has no pages');
    }
    return { pages, bytesRead };
  } finally {
    await fh.close();
  }
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
