// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import vi from '../../../renderer/src/i18n/vi.json';
import en from '../../../renderer/src/i18n/en.json';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
}
/** Plural forms differ per language (vi: _other; en: _one/_other); compare the base keys. */
function bases(o: object): Set<string> {
  return new Set(keys(o).map((k) => k.replace(/_(one|other|few|many|zero|two)$/, '')));
}

describe('translations', () => {
  it('English is complete: the same keys as Vietnamese', () => {
    expect([...bases(en)].sort()).toEqual([...bases(vi)].sort());
  });

  it('English strings carry no Vietnamese diacritics and Vietnamese ones are not left in English', () => {
    const diacritics = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;
    const flat = (o: object): string[] => Object.values(o).flatMap((v) => (typeof v === 'object' && v !== null ? flat(v as object) : [String(v)]));
    expect(flat(en).filter((s) => diacritics.test(s))).toEqual([]);
  });

  it('placeholders match between languages', () => {
    const get = (o: object, k: string): string => {
      let cur: unknown = o;
      for (const p of k.split('.')) {
        cur = (cur as Record<string, unknown>)[p] ?? (cur as Record<string, unknown>)[`${p}_other`];
      }
      return String(cur);
    };
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const k of bases(vi)) {
      expect(vars(get(en, k)), k).toEqual(vars(get(vi, k)));
    }
  });
});
