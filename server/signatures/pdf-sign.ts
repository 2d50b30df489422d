import { createHash } from 'node:crypto';
import { PDFArray, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString } from '@cantoo/pdf-lib';
import { buildAppearance, type StampText } from './stamp';
import { assembleCms, cadesSignedAttributes, type CmsSigner } from './cms-sign';
import { TIMESTAMP_RESERVE, timestampedCms, type Timestamper } from './timestamper';
import { listSignatureFields } from './pdf-fields';

export interface PdfSignOptions {
  readonly fieldName: string;
  /** 0-based page index. */
  readonly page: number;
  /** Lower-left x, y and size in PDF points. */
  readonly rect: Readonly<{ x: number; y: number; width: number; height: number }>;
  readonly stamp: Omit<StampText, 'signingTime'>;
  readonly signingTime?: Date | undefined;
  readonly reason?: string | undefined;
  readonly location?: string | undefined;
  /** PNG or JPEG seal / handwritten signature image. */
  readonly image?: Uint8Array | undefined;
  /** PAdES B-T: time-stamp the signature with this TSA (adds room for the token to /Contents). */
  readonly timestamp?: Timestamper | undefined;
  /** Reserve room for a time-stamp token that another step adds (remote signing). */
  readonly reserveTimestamp?: boolean | undefined;
  /**
   * A certification signature (DocMDP, P=2: later form filling and signing allowed, nothing else):
   * `true` requires the document to be unsigned, `'ifFirst'` certifies only when it is (the minutes:
   * the first signature certifies, later ones are approval signatures).
   */
  readonly certify?: boolean | 'ifFirst' | undefined;
}

/** DocMDP permission level of a certification signature (ISO 32000-1 12.8.2.2): 2 = fill in forms and sign. */
export const DOCMDP_PERMISSIONS = 2;

export class PdfSignError extends Error {}

const BR_PLACEHOLDER = '/**********';
const latin1 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');

function textString(s: string) {
  // ASCII as a literal string; anything else as UTF-16BE (PDF 32000 7.9.2.2) so Vietnamese survives.
  return /^[\x20-\x7e]*$/.test(s) ? PDFString.of(s) : PDFHexString.fromText(s);
}

/**
 * Adds a visible PAdES signature as an INCREMENTAL update (earlier signatures keep covering their
 * bytes unchanged), in a new field on `page` at `rect`. The CMS is ETSI.CAdES.detached with
 * signing-certificate-v2, created by `signer` (key stays wherever `signer` keeps it).
 */
export async function signPdf(pdf: Uint8Array, signer: CmsSigner, o: PdfSignOptions): Promise<Uint8Array> {
  const prepared = await preparePdfSignature(pdf, signer.certificates, o);
  const [certDer] = signer.certificates;
  if (!certDer) {
    throw new PdfSignError('the signer has no certificate');
  }
  const attrs = cadesSignedAttributes(prepared.digest, certDer);
  const signature = await signer.sign(attrs);
  const cms = o.timestamp ? await timestampedCms(attrs, signature, signer.certificates, o.timestamp) : assembleCms(attrs, signature, signer.certificates);
  return embedCms(prepared, cms);
}

/** A new revision with the signature field and an empty /Contents, ready for the CMS. */
export interface PreparedPdfSignature {
  /** The whole new file: /ByteRange final, /Contents all zeros. */
  readonly pdf: Uint8Array;
  /** Offset of the '<' that opens /Contents and of the byte after its '>'. */
  readonly contentsStart: number;
  readonly contentsEnd: number;
  /** SHA-256 of every byte except /Contents: the CMS messageDigest. */
  readonly digest: Uint8Array;
}

/**
 * First half of `signPdf` for signers that are elsewhere (the desktop vault signs over the network,
 * docs/signatures.md): adds the field, stamp and placeholder and computes the digest; `embedCms` finishes.
 * `certificates` only size the placeholder (signer first, then its chain).
 */
export async function preparePdfSignature(pdf: Uint8Array, certificates: readonly Uint8Array[], o: PdfSignOptions): Promise<PreparedPdfSignature> {
  const doc = await PDFDocument.load(pdf, { forIncrementalUpdate: true, updateMetadata: false });
  if (doc.isEncrypted) {
    throw new PdfSignError('Encrypted PDFs cannot be signed here');
  }
  const pages = doc.getPages();
  const page = pages[o.page];
  if (!page) {
    throw new PdfSignError(`Page ${o.page + 1} does not exist (the document has ${pages.length})`);
  }
  const fields = listSignatureFields(doc);
  if (fields.some((f) => f.name === o.fieldName)) {
    throw new PdfSignError(`A signature field named "${o.fieldName}" already exists`);
  }
  const signedBefore = fields.some((f) => f.sig);
  if (o.certify === true && signedBefore) {
    throw new PdfSignError('Only the first signature of a document can certify it (DocMDP)');
  }
  const certify = o.certify === true || (o.certify === 'ifFirst' && !signedBefore);
  const when = o.signingTime ?? new Date();
  const { x, y, width, height } = o.rect;
  const ap = await buildAppearance(doc, width, height, { ...o.stamp, signingTime: when }, o.image);
  const ctx = doc.context;
  // Room for the CMS: the certificates plus signature, attributes and slack, as hex (2 chars/byte).
  const certBytes = certificates.reduce((s, c) => s + c.length, 0);
  const reserve = Math.ceil((certBytes + 3072 + (o.timestamp || o.reserveTimestamp ? TIMESTAMP_RESERVE : 0)) / 1024) * 1024;
  const sigDict = ctx.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: 'ETSI.CAdES.detached',
    ByteRange: [0, PDFName.of('**********'), PDFName.of('**********'), PDFName.of('**********')],
    Contents: PDFHexString.of('0'.repeat(reserve * 2)),
    M: PDFString.fromDate(when),
    Name: textString(o.stamp.name),
    ...(o.reason ? { Reason: textString(o.reason) } : {}),
    ...(o.location ? { Location: textString(o.location) } : {}),
    ...(certify
      ? {
          Reference: [
            {
              Type: 'SigRef',
              TransformMethod: 'DocMDP',
              TransformParams: { Type: 'TransformParams', P: DOCMDP_PERMISSIONS, V: PDFName.of('1.2') },
            },
          ],
        }
      : {}),
  });
  const sigRef = ctx.register(sigDict);
  if (certify) {
    // The catalog's /Perms /DocMDP names the certification signature (ISO 32000-1 12.8.4).
    doc.catalog.set(PDFName.of('Perms'), ctx.obj({ DocMDP: sigRef }));
  }
  const widget = ctx.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [x, y, x + width, y + height],
    V: sigRef,
    T: textString(o.fieldName),
    F: 132, // Print + Locked
    P: page.ref,
    AP: { N: ap },
  });
  const widgetRef = ctx.register(widget);
  // Not page.node.addAnnot(): it "normalizes" the page, wrapping its content streams in q/Q, which is a
  // content change that our verifier (rightly) reports as a modification of earlier signed revisions.
  const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
  if (annots) {
    annots.push(widgetRef);
  } else {
    page.node.set(PDFName.of('Annots'), ctx.obj([widgetRef]));
  }
  const acroForm = doc.catalog.getOrCreateAcroForm();
  acroForm.addField(widgetRef);
  acroForm.dict.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  const withPlaceholder = await doc.commit();
  return fillByteRange(withPlaceholder, pdf.length);
}

/** Writes the real /ByteRange and hashes the covered bytes. */
function fillByteRange(bytes: Uint8Array, searchFrom: number): PreparedPdfSignature {
  const text = latin1(bytes);
  const brStart = text.indexOf(`/ByteRange [ 0 ${BR_PLACEHOLDER} ${BR_PLACEHOLDER} ${BR_PLACEHOLDER} ]`, searchFrom);
  const brAlt = brStart >= 0 ? brStart : text.indexOf(`/ByteRange [0 ${BR_PLACEHOLDER} ${BR_PLACEHOLDER} ${BR_PLACEHOLDER}]`, searchFrom);
  if (brAlt < 0) {
    throw new PdfSignError('internal: ByteRange placeholder not found');
  }
  const brEnd = text.indexOf(']', brAlt) + 1;
  const contentsKey = text.indexOf('/Contents <', brAlt - 40000 > searchFrom ? brAlt - 40000 : searchFrom);
  const cStart = text.indexOf('<', contentsKey);
  const cEnd = text.indexOf('>', cStart) + 1;
  if (contentsKey < 0 || cEnd <= cStart) {
    throw new PdfSignError('internal: Contents placeholder not found');
  }
  const range = [0, cStart, cEnd, bytes.length - cEnd];
  const brText = `/ByteRange [${range.join(' ')}]`;
  const slot = brEnd - brAlt;
  if (brText.length > slot) {
    throw new PdfSignError('internal: ByteRange does not fit its placeholder');
  }
  const out = Uint8Array.from(bytes);
  out.set(Buffer.from(brText.padEnd(slot, ' '), 'latin1'), brAlt);
  const digest = createHash('sha256').update(out.subarray(0, cStart)).update(out.subarray(cEnd)).digest();
  return { pdf: out, contentsStart: cStart, contentsEnd: cEnd, digest };
}

/** Puts the DER CMS into the prepared /Contents (zero-padded hex); returns the signed file. */
export function embedCms(p: PreparedPdfSignature, cms: Uint8Array): Uint8Array {
  const hex = Buffer.from(cms).toString('hex');
  if (hex.length > p.contentsEnd - p.contentsStart - 2) {
    throw new PdfSignError(`internal: CMS (${cms.length} bytes) exceeds the reserved space`);
  }
  const out = Uint8Array.from(p.pdf);
  out.set(Buffer.from(hex, 'latin1'), p.contentsStart + 1);
  return out;
}
