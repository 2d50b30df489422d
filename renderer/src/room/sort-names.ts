/**
 * Vietnamese name order for lists of people. A Vietnamese full name is family name, middle names, given
 * name ("Nguyễn Văn An"); lists (attendance, rolls) are ordered by the given name — the last word — then
 * by the rest, with Vietnamese collation (Ă after A, Đ after D, tones after the bare letter).
 */
const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

function parts(fullName: string): [given: string, rest: string] {
  const words = fullName.trim().split(/\s+/);
  const given = words.pop() ?? '';
  return [given, words.join(' ')];
}

export function compareVietnameseNames(a: string, b: string): number {
  const [ga, ra] = parts(a);
  const [gb, rb] = parts(b);
  return collator.compare(ga, gb) || collator.compare(ra, rb) || collator.compare(a, b);
}

/** A sorted copy (the input is left as it is: it may be React state). */
export function sortByVietnameseName<T>(items: readonly T[], name: (item: T) => string): T[] {
  return [...items].sort((x, y) => compareVietnameseNames(name(x), name(y)));
}
