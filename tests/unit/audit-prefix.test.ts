import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditRow, entryHash, type AuditEntry } from '../../server/audit/log';
import { canonicalJson } from '../../shared/domain/canonical-json';

const entries: AuditEntry[] = [
  { actorId: null, meetingId: null, action: 'user.create' },
  { actorId: '00000000-0000-4000-8000-000000000001', meetingId: '00000000-0000-4000-8000-000000000002', action: 'ballot.cast', data: { pollId: 'p', choice: ['yes'], n: 1.5e21, z: null } },
  // Escapes, non-ASCII and keys that RFC 8785 orders by UTF-16 code unit, not by locale.
  { actorId: 'a"b\\c', meetingId: 'Kỳ họp\u2028', action: 'nghị quyết\n"số 1"', data: { é: 1, e: 2, '\u{1F600}': 'x', A: [{ b: 1, a: 2 }] } },
];

describe('the audit chain prefix', () => {
  it('is the canonical body up to its seq, whatever the entry', () => {
    const at = '2026-12-01T00:00:00.000Z';
    for (const e of entries) {
      const body = canonicalJson({ seq: 42, at, actorId: e.actorId, meetingId: e.meetingId, action: e.action, data: e.data ?? {} });
      const row = auditRow(at, e);
      expect(`${row.prefix ?? ''}42}`).toBe(body);
      expect(row.data).toBe(canonicalJson(e.data ?? {}));
      // What audit_append hashes is what entryHash (and so `audit verify`) hashes.
      const prev = 'f'.repeat(64);
      expect(createHash('sha256').update(prev).update(`${row.prefix ?? ''}42}`).digest('hex')).toBe(entryHash(prev, 42, at, e));
    }
  });
});
