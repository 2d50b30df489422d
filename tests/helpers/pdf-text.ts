import { execFileSync } from 'node:child_process';

/** Text of a PDF as poppler's pdftotext extracts it (what a reader's copy-paste or search sees). */
export function pdfText(pdf: Uint8Array): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf, encoding: 'utf8' });
}
