import { PDFArray, PDFDict, PDFName, PDFRef, type PDFDocument, PDFString, PDFHexString } from '@cantoo/pdf-lib';

export interface SigField {
  readonly name: string;
  readonly fieldRef: PDFRef;
  readonly field: PDFDict;
  readonly sig: PDFDict | undefined;
  readonly sigRef: PDFRef | undefined;
}

export function decodeText(o: unknown): string | undefined {
  if (o instanceof PDFString || o instanceof PDFHexString) {
    return o.decodeText();
  }
  if (o instanceof PDFName) {
    return o.decodeText();
  }
  return undefined;
}

/** Every terminal field with /FT /Sig (walking /Kids, inheriting /FT), with its /V if signed. */
export function listSignatureFields(doc: PDFDocument): SigField[] {
  const out: SigField[] = [];
  const acro = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  const fields = acro?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  if (!fields) {
    return out;
  }
  const seen = new Set<string>();
  const walk = (ref: unknown, prefix: string, inheritedFt: string | undefined, depth: number) => {
    if (!(ref instanceof PDFRef) || seen.has(ref.toString()) || depth > 20) {
      return;
    }
    seen.add(ref.toString());
    const dict = doc.context.lookup(ref);
    if (!(dict instanceof PDFDict)) {
      return;
    }
    const partial = decodeText(dict.get(PDFName.of('T')));
    const name = partial === undefined ? prefix : prefix ? `${prefix}.${partial}` : partial;
    const ft = dict.lookupMaybe(PDFName.of('FT'), PDFName)?.decodeText() ?? inheritedFt;
    const kids = dict.lookupMaybe(PDFName.of('Kids'), PDFArray);
    const kidFields = kids ? kids.asArray().filter((k) => k instanceof PDFRef && doc.context.lookup(k) instanceof PDFDict && (doc.context.lookup(k) as PDFDict).has(PDFName.of('T'))) : [];
    if (kidFields.length > 0) {
      for (const k of kidFields) {
        walk(k, name, ft, depth + 1);
      }
      return;
    }
    if (ft === 'Sig') {
      const v = dict.get(PDFName.of('V'));
      const sig = v ? doc.context.lookup(v) : undefined;
      out.push({ name, fieldRef: ref, field: dict, sig: sig instanceof PDFDict ? sig : undefined, sigRef: v instanceof PDFRef ? v : undefined });
    }
  };
  for (const f of fields.asArray()) {
    walk(f, '', undefined, 0);
  }
  return out;
}
