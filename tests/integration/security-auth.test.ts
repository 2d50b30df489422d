import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, errorCode } from '../helpers/http';
import { startServer, storages, type TestServer } from '../helpers/server';
import { auditLog } from '../../server/db/schema';

/**
 * Sign-in abuse (docs/security.md "Server controls"): concurrent guesses, locking someone else out,
 * account enumeration, password-change guessing, the source address behind a proxy, and the audit.
 * The server trusts X-Forwarded-For here (trustProxy), so each test speaks from its own address.
 */
describe.each(storages())('sign-in abuse on %s', (storage) => {
  let srv: TestServer;
  let api: Api;

  beforeAll(async () => {
    srv = await startServer({
      storage,
      seed: 'demo',
      config: { trustProxy: true, loginFreeFailures: 3, loginBaseDelaySeconds: 600, loginRateLimit: 100, loginIpRateLimit: 25, passwordChangeRateLimit: 100 },
    });
    api = new Api(srv.url);
  });
  afterAll(async () => {
    await srv.close();
  });

  const login = (username: string, password: string, ip: string) => api.request('POST', '/api/auth/login', { username, password }, { 'x-forwarded-for': ip });

  it('counts concurrent wrong passwords one by one, whatever the spelling of the name', async () => {
    const spellings = ['delegate06', ' delegate06', 'DELEGATE06 ', '\tDelegate06'];
    const replies = await Promise.all(Array.from({ length: 12 }, (_, i) => login(spellings[i % 4] ?? 'delegate06', 'wrong-password', '198.51.100.1')));
    const checked = replies.filter((r) => r.status === 401).length;
    // 3 free failures, then the 4th attempt is claimed and every later one waits: at most 4 guesses.
    expect(checked).toBeLessThanOrEqual(4);
    expect(replies.filter((r) => r.status === 429).length).toBe(12 - checked);
    expect(replies.every((r) => errorCode(r.body) === (r.status === 401 ? 'INVALID_CREDENTIALS' : 'RATE_LIMITED'))).toBe(true);
    // The right password from that source now waits too…
    expect((await login('delegate06', 'demo1234', '198.51.100.1')).status).toBe(429);
  });

  it('slows only the attacking source: the chair still signs in from elsewhere', async () => {
    for (let i = 0; i < 6; i++) {
      await login('chair', 'wrong-password', '198.51.100.2');
    }
    expect((await login('chair', 'wrong-password', '198.51.100.2')).status).toBe(429);
    const chair = await login('chair', 'demo1234', '192.0.2.10');
    expect(chair.status).toBe(200);
  });

  it('answers unknown and existing accounts alike (no enumeration through lockout or errors)', async () => {
    const run = async (username: string, ip: string) => {
      const out: string[] = [];
      for (let i = 0; i < 6; i++) {
        const r = await login(username, 'wrong-password', ip);
        out.push(`${r.status} ${errorCode(r.body)} ${JSON.stringify(r.body).replace(/\d+ s/, 'N s')}`);
      }
      return out;
    };
    const real = await run('delegate07', '198.51.100.3');
    const ghost = await run('ghost-account', '198.51.100.4');
    expect(ghost).toEqual(real);
    expect(real.some((s) => s.startsWith('423'))).toBe(false);
  });

  it('limits sign-ins per source address across usernames', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 26; i++) {
      codes.push((await login(`nobody-${i}`, 'wrong-password', '198.51.100.5')).status);
    }
    expect(codes.slice(0, 25).every((c) => c === 401)).toBe(true);
    expect(codes[25]).toBe(429);
    // Another address is not affected.
    expect((await login('nobody-x', 'wrong-password', '198.51.100.6')).status).toBe(401);
  });

  it('throttles guessing the current password with a stolen session', async () => {
    const r = await login('delegate08', 'demo1234', '198.51.100.7');
    const me = api.withToken((r.body as { token: string }).token);
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      codes.push((await me.request('POST', '/api/me/password', { currentPassword: `guess-${i}`, newPassword: 'new-pass-123' }, { 'x-forwarded-for': '198.51.100.7' })).status);
    }
    expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
    expect(codes).toContain(429);
  });

  it('audits sign-ins, failures and sign-outs with the source address (from the trusted proxy header)', async () => {
    const ok = await login('delegate09', 'demo1234', '203.0.113.7');
    expect(ok.status).toBe(200);
    await login('delegate09', 'wrong-password', '203.0.113.8');
    const me = api.withToken((ok.body as { token: string }).token);
    expect((await me.request('POST', '/api/auth/logout', undefined, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(204);
    const rows = await srv.server.ctx.db.select().from(auditLog).where(and(eq(auditLog.action, 'auth.login')));
    const data = rows.map((r) => JSON.parse(r.data) as { ip?: string });
    expect(data.map((d) => d.ip)).toContain('203.0.113.7');
    const failed = (await srv.server.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'auth.login_failed'))).map((r) => JSON.parse(r.data) as { username: string; ip: string });
    expect(failed).toContainEqual({ username: 'delegate09', ip: '203.0.113.8' });
    const out = (await srv.server.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'auth.logout'))).map((r) => JSON.parse(r.data) as { ip: string });
    expect(out).toContainEqual({ ip: '203.0.113.9' });
  });
});

describe('trustProxy defaults to false', () => {
  it('ignores X-Forwarded-For unless configured', async () => {
    const srv = await startServer({ seed: 'demo' });
    try {
      const r = await new Api(srv.url).request('POST', '/api/auth/login', { username: 'delegate10', password: 'demo1234' }, { 'x-forwarded-for': '203.0.113.99' });
      expect(r.status).toBe(200);
      const rows = await srv.server.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'auth.login'));
      expect(rows.map((x) => (JSON.parse(x.data) as { ip: string }).ip)).toEqual(['127.0.0.1']);
    } finally {
      await srv.close();
    }
  });
});
