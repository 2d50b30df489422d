import { describe, expect, it } from 'vitest';
import {
  createIpcRegistrar,
  dispatch,
  type InvokeEventLike,
  type IpcMainLike,
} from '../../../electron/main/ipc/registrar';
import { IpcError } from '../../../electron/main/ipc/ipc-error';
import { ipc } from '../../../shared/ipc';

const top = (url: string): InvokeEventLike => ({ senderFrame: { url, parent: null } });
const ok = top('app://ecabinet/meetings/1');
const docId = '6f1c1d9e-8a51-4c3e-9d55-0a5b1c2d3e4f';

describe('IPC sender validation (Checklist 17)', () => {
  const handler = async () => 'secret';
  it.each([
    ['a destroyed frame', { senderFrame: null }],
    [
      'a subframe of our page',
      { senderFrame: { url: 'app://ecabinet/', parent: { url: 'app://ecabinet/' } } },
    ],
    ['another origin', top('https://attacker.com/')],
    ['a look-alike host', top('app://ecabinet.attacker.com/')],
    ['file://', top('file:///tmp/x.html')],
    ['an unparseable URL', top('::::')],
  ] as const)('refuses %s before reading the payload', async (_name, event) => {
    const r = await dispatch('serverUrl', handler, event as InvokeEventLike, undefined);
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
  it('accepts the top frame of app://ecabinet', async () => {
    expect(await dispatch('serverUrl', handler, ok, undefined)).toEqual({ ok: true, value: 'secret' });
  });
});

describe('IPC payload validation', () => {
  it.each([
    ['documentGet', { meetingId: docId, documentId: '../../etc/passwd' }],
    ['documentGet', { documentId: docId }],
    ['documentGet', 'x'],
    // The page names no URL, hash or token: extra fields are stripped, a missing meeting is refused.
    ['documentGet', { ref: { id: docId, sha256: 'a'.repeat(64), size: 1, url: 'file:///etc/passwd' }, token: 'x'.repeat(30) }],
    ['notesSave', { documentId: docId, notes: { '-1': { text: 'x', updatedAt: '2026-12-01T08:00:00Z', dirty: true } } }],
    ['notesSave', { documentId: docId, notes: { '0': { text: 'x', updatedAt: '2026-12-01T08:00:00Z', dirty: true } } }],
    ['notesSave', { documentId: docId, notes: { '1': { text: 'x'.repeat(20_001), updatedAt: '2026-12-01T08:00:00Z', dirty: true } } }],
    ['notesList', { userId: docId }],
    ['settingSet', { key: '__proto__/../x', value: 'v' }],
    ['vaultSignDigest', { digest: new Uint8Array(31), documentId: docId }],
    ['vaultSignDigest', { digest: 'AAAA', documentId: docId }],
    ['vaultSignDigest', { digest: new Uint8Array(32) }],
    ['sessionSignIn', { serverUrl: 'https://x.vn', username: '', password: 'x' }],
    ['packageSync', { meetingId: 'x' }],
    ['notifyRoom', { kind: 'shell-exec', id: '1' }],
  ] as const)('%s refuses %j', async (key, payload) => {
    let called = false;
    const r = await dispatch(
      key,
      async () => {
        called = true;
        return undefined as never;
      },
      ok,
      payload,
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect(called).toBe(false);
  });

  it('hands the parsed payload to the handler', async () => {
    const r = await dispatch(
      'notesSave',
      async (req) => {
        // A page-supplied userId is not part of the contract: it never reaches the handler.
        expect(req).toEqual({ documentId: docId, notes: { '3': { text: 'ghi chú', updatedAt: '2026-12-01T08:00:00Z', dirty: false } } });
        return undefined;
      },
      ok,
      { userId: docId, documentId: docId, notes: { '3': { text: 'ghi chú', updatedAt: '2026-12-01T08:00:00Z', dirty: false } } },
    );
    expect(r).toEqual({ ok: true, value: undefined });
  });

  it('returns IpcError codes and hides unexpected errors', async () => {
    expect(
      await dispatch(
        'vaultInfo',
        async () => {
          throw new IpcError('CERT_EXPIRED', 'expired');
        },
        ok,
        undefined,
      ),
    ).toEqual({ ok: false, error: { code: 'CERT_EXPIRED', message: 'expired' } });
    const seen: unknown[] = [];
    const r = await dispatch(
      'vaultInfo',
      async () => {
        throw new Error('/home/user/.config/secret path');
      },
      ok,
      undefined,
      (_c, e) => seen.push(e),
    );
    expect(r).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Internal error in the desktop shell' },
    });
    expect(seen).toHaveLength(1);
  });
});

describe('createIpcRegistrar', () => {
  it('registers channel names from shared/ipc.ts, refuses extra arguments and removes handlers on dispose', async () => {
    const handlers = new Map<string, (e: InvokeEventLike, ...a: unknown[]) => Promise<unknown>>();
    const ipcMain: IpcMainLike = {
      handle: (c, l) => void handlers.set(c, l),
      removeHandler: (c) => void handlers.delete(c),
    };
    const r = createIpcRegistrar(ipcMain);
    r.handle('documentGet', async () => new Uint8Array([1, 2, 3]));
    const h = handlers.get(ipc.documentGet.name);
    expect(h).toBeDefined();
    const req = { meetingId: docId, documentId: docId };
    expect(await h?.(ok, req)).toEqual({ ok: true, value: new Uint8Array([1, 2, 3]) });
    expect(await h?.(ok, req, 'extra')).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_ERROR' },
    });
    expect(await h?.(top('https://attacker.com/'), req)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    r.dispose();
    expect(handlers.size).toBe(0);
  });
  it('uses unique, namespaced channel names', () => {
    const names = Object.values(ipc).map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) {
      expect(n).toMatch(/^ecab:[a-z-]+:[a-z-]+$/);
    }
  });
});
