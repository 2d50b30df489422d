import { readFile } from 'node:fs/promises';
import { PDFDocument } from '@cantoo/pdf-lib';
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

/**
 * Page count of a PDF on disk. A file that starts like a PDF but cannot be parsed is refused
 * (415) rather than stored, so every client can open what the manifest lists.
 */
export async function countPdfPages(path: string): Promise<number> {
  let pages: number;
  try {
    const doc = await PDFDocument.load(await readFile(path), {
      ignoreEncryption: true,
      updateMetadata: false,
      throwOnInvalidObject: false,
    });
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
