import canonicalizeImpl from 'canonicalize';

/**
 * RFC 8785 (JCS) canonical JSON: the exact bytes that get hashed (audit chain) and signed (ballots).
 * Uses the `canonicalize` library rather than our own serializer: number formatting is subtle.
 */
export function canonicalJson(value: unknown): string {
  const out = canonicalizeImpl(value);
  if (out === undefined) {
    throw new Error('Value cannot be represented as canonical JSON');
  }
  return out;
}
