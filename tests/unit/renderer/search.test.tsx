// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { fold, highlightTextLayer } from '../../../renderer/src/reader/search';

describe('reader search', () => {
  it('folds case and Vietnamese diacritics', () => {
    expect(fold('Nghị quyết Đầu tư')).toBe('nghi quyet dau tu');
  });

  it('highlights matches inside text-layer spans and clears old ones', () => {
    const layer = document.createElement('div');
    layer.innerHTML = '<span>Dự toán ngân sách xã</span><span>Ngân Sách năm 2027</span><span>khác</span>';
    expect(highlightTextLayer(layer, 'ngan sach')).toBe(2);
    expect(Array.from(layer.querySelectorAll('mark.hit')).map((m) => m.textContent)).toEqual(['ngân sách', 'Ngân Sách']);
    expect(highlightTextLayer(layer, '')).toBe(0);
    expect(layer.querySelectorAll('mark').length).toBe(0);
    expect(layer.textContent).toBe('Dự toán ngân sách xãNgân Sách năm 2027khác');
  });
});
