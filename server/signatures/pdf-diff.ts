import { PDFArray, PDFDict, PDFName, PDFRef, PDFStream, PDFRawStream, type PDFDocument, type PDFObject, type PDFContext } from '@cantoo/pdf-lib';
import { listSignatureFields } from './pdf-fields';

/**
 * Compares the document as it was signed (a prefix revision) with the final document and lists every
 * change other than added signatures: pdfsig does not do this (docs/architecture.md), and without it a signed
 * page's content can be replaced by an incremental update while every signature still "verifies".
 * Allowed after signing: new signature fields/widgets with their appearances, the AcroForm's field
 * list and SigFlags, /DSS and metadata (/Info). Everything reachable from pages, fields and the
 * catalog is compared structurally, so object streams and renumbering do not matter.
 */
const IGNORED_KEYS = new Set(['Parent', 'P']);
const CATALOG_ALLOWED = new Set(['AcroForm', 'Pages', 'DSS', 'Extensions']);

class Comparer {
  private readonly memo = new Set<string>();
  constructor(
    private readonly a: PDFContext,
    private readonly b: PDFContext,
  ) {}

  equal(x: PDFObject | undefined, y: PDFObject | undefined, ignore: ReadonlySet<string> = IGNORED_KEYS): boolean {
    if (x instanceof PDFRef || y instanceof PDFRef) {
      const key = `${x?.toString() ?? '-'}|${y?.toString() ?? '-'}`;
      if (this.memo.has(key)) {
        return true;
      }
      this.memo.add(key);
      const rx = x instanceof PDFRef ? this.a.lookup(x) : x;
      const ry = y instanceof PDFRef ? this.b.lookup(y) : y;
      const same = this.equal(rx, ry, ignore);
      if (!same) {
        this.memo.delete(key);
      }
      return same;
    }
    if (x === undefined || y === undefined) {
      return x === y;
    }
    if (x instanceof PDFStream || y instanceof PDFStream) {
      if (!(x instanceof PDFStream) || !(y instanceof PDFStream)) {
        return false;
      }
      if (!this.equal(x.dict, y.dict, new Set([...ignore, 'Length']))) {
        return false;
      }
      const cx = x instanceof PDFRawStream ? x.contents : x.getContents();
      const cy = y instanceof PDFRawStream ? y.contents : y.getContents();
      return Buffer.compare(Buffer.from(cx), Buffer.from(cy)) === 0;
    }
    if (x instanceof PDFDict || y instanceof PDFDict) {
      if (!(x instanceof PDFDict) || !(y instanceof PDFDict)) {
        return false;
      }
      const kx = x.keys().filter((k) => !ignore.has(k.decodeText()));
      const ky = y.keys().filter((k) => !ignore.has(k.decodeText()));
      if (kx.length !== ky.length) {
        return false;
      }
      return kx.every((k) => y.has(k) && this.equal(x.get(k), y.get(k), IGNORED_KEYS));
    }
    if (x instanceof PDFArray || y instanceof PDFArray) {
      if (!(x instanceof PDFArray) || !(y instanceof PDFArray) || x.size() !== y.size()) {
        return false;
      }
      return x.asArray().every((v, i) => this.equal(v, y.get(i), IGNORED_KEYS));
    }
    return x.toString() === y.toString();
  }
}

function isSigWidget(ctx: PDFContext, ref: PDFObject): boolean {
  const d = ref instanceof PDFRef ? ctx.lookup(ref) : ref;
  if (!(d instanceof PDFDict)) {
    return false;
  }
  const ft = d.lookupMaybe(PDFName.of('FT'), PDFName) ?? d.lookupMaybe(PDFName.of('Parent'), PDFDict)?.lookupMaybe(PDFName.of('FT'), PDFName);
  return d.lookupMaybe(PDFName.of('Subtype'), PDFName)?.decodeText() === 'Widget' && ft?.decodeText() === 'Sig';
}

function annots(page: PDFDict): PDFObject[] {
  return page.lookupMaybe(PDFName.of('Annots'), PDFArray)?.asArray() ?? [];
}

export function findModifications(signed: PDFDocument, final: PDFDocument): string[] {
  const out: string[] = [];
  const cmp = new Comparer(signed.context, final.context);
  const pa = signed.getPages();
  const pb = final.getPages();
  if (pa.length !== pb.length) {
    out.push(`page count changed from ${pa.length} to ${pb.length}`);
  }
  const n = Math.min(pa.length, pb.length);
  const noAnnots = new Set([...IGNORED_KEYS, 'Annots']);
  for (let i = 0; i < n; i++) {
    const a = pa[i];
    const b = pb[i];
    if (!a || !b) {
      continue;
    }
    if (!cmp.equal(a.node, b.node, noAnnots)) {
      out.push(`page ${i + 1}: content, resources or page attributes changed`);
    }
    const la = annots(a.node);
    const lb = annots(b.node);
    const lbKeys = new Map(lb.map((r) => [r.toString(), r]));
    for (const r of la) {
      const match = lbKeys.get(r.toString());
      if (!match) {
        out.push(`page ${i + 1}: annotation ${r.toString()} removed`);
      } else if (!cmp.equal(r, match)) {
        out.push(`page ${i + 1}: annotation ${r.toString()} changed`);
      }
    }
    const before = new Set(la.map((r) => r.toString()));
    for (const r of lb) {
      if (!before.has(r.toString()) && !isSigWidget(final.context, r)) {
        const d = r instanceof PDFRef ? final.context.lookup(r) : r;
        const sub = d instanceof PDFDict ? (d.lookupMaybe(PDFName.of('Subtype'), PDFName)?.decodeText() ?? '?') : '?';
        out.push(`page ${i + 1}: ${sub} annotation added`);
      }
    }
  }
  for (const k of new Set([...signed.catalog.keys(), ...final.catalog.keys()].map((k) => k.decodeText()))) {
    if (!CATALOG_ALLOWED.has(k) && !cmp.equal(signed.catalog.get(PDFName.of(k)), final.catalog.get(PDFName.of(k)))) {
      out.push(`document catalog entry /${k} changed`);
    }
  }
  const fa = listAllFields(signed);
  const fb = new Map(listAllFields(final).map((f) => [f.ref.toString(), f]));
  for (const f of fa) {
    const g = fb.get(f.ref.toString());
    if (!g) {
      out.push(`form field ${f.ref.toString()} removed`);
    } else if (!cmp.equal(f.ref, g.ref)) {
      out.push(`form field "${f.name}" changed`);
    }
  }
  const existing = new Set(fa.map((f) => f.ref.toString()));
  const sigFields = new Set(listSignatureFields(final).map((f) => f.fieldRef.toString()));
  for (const g of fb.values()) {
    if (!existing.has(g.ref.toString()) && !sigFields.has(g.ref.toString())) {
      out.push(`form field "${g.name}" added`);
    }
  }
  return out;
}

function listAllFields(doc: PDFDocument): { ref: PDFRef; name: string }[] {
  const acro = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  const fields = acro?.lookupMaybe(PDFName.of('Fields'), PDFArray)?.asArray() ?? [];
  return fields.filter((f): f is PDFRef => f instanceof PDFRef).map((ref) => {
    const d = doc.context.lookup(ref);
    const t = d instanceof PDFDict ? d.get(PDFName.of('T')) : undefined;
    return { ref, name: t?.toString() ?? ref.toString() };
  });
}
