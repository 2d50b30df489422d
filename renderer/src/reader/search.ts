import type { PDFDocumentProxy } from 'pdfjs-dist';

/** Case- and diacritic-insensitive form used for searching ("Nghị quyết" matches "nghi quyet"). */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

export interface PageMatches {
  readonly page: number;
  readonly count: number;
}

const textCache = new WeakMap<PDFDocumentProxy, Map<number, string>>();

async function pageText(doc: PDFDocumentProxy, page: number): Promise<string> {
  let cache = textCache.get(doc);
  if (!cache) {
    cache = new Map();
    textCache.set(doc, cache);
  }
  const hit = cache.get(page);
  if (hit !== undefined) {
    return hit;
  }
  const p = await doc.getPage(page);
  const content = await p.getTextContent();
  const text = fold(content.items.map((i) => ('str' in i ? i.str : '')).join(' '));
  cache.set(page, text);
  return text;
}

function countIn(haystack: string, needle: string): number {
  let n = 0;
  let at = haystack.indexOf(needle);
  while (at !== -1) {
    n++;
    at = haystack.indexOf(needle, at + needle.length);
  }
  return n;
}

/** Pages containing `query`, in order; stops early when `signal` aborts (a newer search started). */
export async function searchDocument(doc: PDFDocumentProxy, query: string, signal: AbortSignal): Promise<PageMatches[]> {
  const needle = fold(query.trim());
  if (!needle) {
    return [];
  }
  const out: PageMatches[] = [];
  for (let page = 1; page <= doc.numPages; page++) {
    if (signal.aborted) {
      break;
    }
    const count = countIn(await pageText(doc, page), needle);
    if (count > 0) {
      out.push({ page, count });
    }
  }
  return out;
}

/** Wraps occurrences of `query` inside the text layer's spans with <mark> (the visible highlight). */
export function highlightTextLayer(layer: HTMLElement, query: string): number {
  for (const m of Array.from(layer.querySelectorAll('mark.hit'))) {
    m.replaceWith(document.createTextNode(m.textContent));
  }
  layer.normalize();
  const needle = fold(query.trim());
  if (!needle) {
    return 0;
  }
  let total = 0;
  for (const span of Array.from(layer.querySelectorAll('span'))) {
    const node = span.firstChild;
    if (!node || node.nodeType !== Node.TEXT_NODE || span.children.length > 0) {
      continue;
    }
    const raw = node.textContent ?? '';
    // fold() keeps length for Vietnamese letters only after NFC → per-char folding, so fold char by char.
    const folded = Array.from(raw, (c) => fold(c).charAt(0) || c).join('');
    let at = folded.indexOf(needle);
    if (at === -1) {
      continue;
    }
    const frag = document.createDocumentFragment();
    let last = 0;
    const chars = Array.from(raw);
    while (at !== -1) {
      frag.append(chars.slice(last, at).join(''));
      const mark = document.createElement('mark');
      mark.className = 'hit';
      mark.textContent = chars.slice(at, at + needle.length).join('');
      frag.append(mark);
      total++;
      last = at + needle.length;
      at = folded.indexOf(needle, last);
    }
    frag.append(chars.slice(last).join(''));
    span.replaceChildren(frag);
  }
  return total;
}
