import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/domain/canonical-json';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts keys and normalizes numbers and strings', () => {
    expect(canonicalJson({ b: 1, a: [3, 'Tán thành'], c: { z: 1e21, y: 0.1 } })).toBe(
      '{"a":[3,"Tán thành"],"b":1,"c":{"y":0.1,"z":1e+21}}',
    );
  });
  it('refuses values JSON cannot represent', () => {
    expect(() => canonicalJson(undefined)).toThrow();
  });
});
