import { createHash } from 'node:crypto';
import { PDFDocument } from '@cantoo/pdf-lib';

/** A small valid PDF to upload: blank pages, `label` as its title so each fixture's bytes differ. */
export async function makePdf(label: string, pages = 2): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(label);
  for (let i = 0; i < pages; i++) {
    doc.addPage([300, 400]);
  }
  return doc.save();
}

/** Hex SHA-256, as the server names blobs and reports documents. */
export const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
