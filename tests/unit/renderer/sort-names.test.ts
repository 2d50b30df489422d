import { describe, expect, it } from 'vitest';
import { compareVietnameseNames, sortByVietnameseName } from '../../../renderer/src/room/sort-names';
import { optionLabel } from '../../../renderer/src/secretariat/option-label';
import { apiErrorFrom } from '../../../renderer/src/api/http';

describe('Vietnamese name order', () => {
  it('sorts by the given name (last word) first, then family and middle names', () => {
    const names = ['Nguyễn Văn Bình', 'Trần Thị An', 'Lê Văn An', 'Phạm Minh Châu'];
    expect(sortByVietnameseName(names, (n) => n)).toEqual(['Lê Văn An', 'Trần Thị An', 'Nguyễn Văn Bình', 'Phạm Minh Châu']);
  });

  it('uses Vietnamese collation: Ă and Â after A, Đ after D, O before Ô before Ơ', () => {
    const given = ['Đức', 'Dũng', 'Ân', 'Anh', 'Ơn', 'Ôn', 'Oanh', 'Ăn'];
    const sorted = sortByVietnameseName(
      given.map((g) => `Nguyễn Văn ${g}`),
      (n) => n,
    ).map((n) => n.split(' ').at(-1));
    expect(sorted).toEqual(['Anh', 'Ăn', 'Ân', 'Dũng', 'Đức', 'Oanh', 'Ôn', 'Ơn']);
    // A plain code-point sort puts Đ, Ă, Ơ after Z: the collator must not.
    expect(compareVietnameseNames('Lê Đức', 'Lê Yến')).toBeLessThan(0);
  });

  it('leaves the input array as it is', () => {
    const input = ['B B', 'A A'];
    sortByVietnameseName(input, (n) => n);
    expect(input).toEqual(['B B', 'A A']);
  });
});

describe('dropdown labels of long agenda titles', () => {
  it('keeps short labels and cuts long ones with an ellipsis, counting Vietnamese letters as one', () => {
    expect(optionLabel('1. Khai mạc')).toBe('1. Khai mạc');
    const long = `2. ${'Tờ trình về việc phê duyệt điều chỉnh quy hoạch '.repeat(4)}`;
    const cut = optionLabel(long);
    expect(Array.from(cut).length).toBeLessThanOrEqual(70);
    expect(cut.endsWith('…')).toBe(true);
    expect(long.startsWith(cut.slice(0, -1))).toBe(true);
  });
});

describe('one error-from-response helper', () => {
  it("takes the server's code and message, else HTTP_<status> with the status text", () => {
    const e = apiErrorFrom(409, 'Conflict', { error: { code: 'CONFLICT', message: 'last secretary' } });
    expect([e.status, e.code, e.message]).toEqual([409, 'CONFLICT', 'last secretary']);
    const p = apiErrorFrom(502, 'Bad Gateway', '<html>proxy</html>');
    expect([p.status, p.code, p.message]).toEqual([502, 'HTTP_502', 'Bad Gateway']);
  });
});
