import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, errorCode } from '../helpers/http';
import { startServer, storages, type TestServer } from '../helpers/server';
import { HealthResponse, LoginResponse, PublicUser } from '../../shared/api/auth';

describe.each(storages())('auth on %s', (storage) => {
  let srv: TestServer;
  let api: Api;

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo', config: { loginFreeFailures: 3, loginBaseDelaySeconds: 600, loginRateLimit: 20 } });
    api = new Api(srv.url);
  });
  afterAll(async () => {
    await srv.close();
  });

  it('reports health with the storage in use', async () => {
    const r = await api.get('/api/health');
    expect(r.status).toBe(200);
    expect(HealthResponse.parse(r.body).storage).toBe(storage);
  });

  it('logs in, returns me, and logs out (token then refused)', async () => {
    const r = await api.post('/api/auth/login', { username: 'delegate01', password: 'demo1234' });
    expect(r.status).toBe(200);
    const login = LoginResponse.parse(r.body);
    expect(login.user.role).toBe('delegate');
    const me = api.withToken(login.token);
    const who = await me.get('/api/me');
    expect(who.status).toBe(200);
    expect(PublicUser.parse(who.body).username).toBe('delegate01');
    expect((await me.post('/api/auth/logout')).status).toBe(204);
    const after = await me.get('/api/me');
    expect(after.status).toBe(401);
    expect(errorCode(after.body)).toBe('UNAUTHENTICATED');
  });

  it('refuses wrong passwords, unknown users and malformed bodies with the error shape', async () => {
    const wrong = await api.post('/api/auth/login', { username: 'delegate02', password: 'nope-nope' });
    expect(wrong.status).toBe(401);
    expect(errorCode(wrong.body)).toBe('INVALID_CREDENTIALS');
    const unknown = await api.post('/api/auth/login', { username: 'ghost', password: 'demo1234' });
    expect(unknown.status).toBe(401);
    const bad = await api.post('/api/auth/login', { username: 42 });
    expect(bad.status).toBe(400);
    expect(errorCode(bad.body)).toBe('VALIDATION_ERROR');
    const garbage = await api.request('POST', '/api/auth/login', undefined, { 'content-type': 'application/json' });
    expect(garbage.status).toBe(400);
  });

  it('delays a source after repeated failures, even for the right password (429 with Retry-After)', async () => {
    for (let i = 0; i < 4; i++) {
      expect((await api.post('/api/auth/login', { username: 'delegate03', password: 'wrong-password' })).status).toBe(401);
    }
    const delayed = await api.post('/api/auth/login', { username: 'delegate03', password: 'demo1234' });
    expect(delayed.status).toBe(429);
    expect(errorCode(delayed.body)).toBe('RATE_LIMITED');
    expect(Number(delayed.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('rate-limits login attempts with 429', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 25; i++) {
      codes.push((await api.post('/api/auth/login', { username: 'delegate04', password: 'x' })).status);
    }
    expect(codes).toContain(429);
    const last = await api.post('/api/auth/login', { username: 'delegate04', password: 'x' });
    expect(last.status).toBe(429);
    expect(errorCode(last.body)).toBe('RATE_LIMITED');
  });

  it('changes a password: old sessions end, the new password works', async () => {
    const a = await api.login('delegate05');
    const b = await api.login('delegate05');
    expect((await a.post('/api/me/password', { currentPassword: 'wrong', newPassword: 'new-pass-123' })).status).toBe(401);
    expect((await a.post('/api/me/password', { currentPassword: 'demo1234', newPassword: 'short' })).status).toBe(400);
    expect((await a.post('/api/me/password', { currentPassword: 'demo1234', newPassword: 'new-pass-123' })).status).toBe(204);
    expect((await a.get('/api/me')).status).toBe(200);
    expect((await b.get('/api/me')).status).toBe(401);
    await api.login('delegate05', 'new-pass-123');
  });

  it('lets only admins create users', async () => {
    const admin = await api.login('admin');
    const del = await api.login('delegate06');
    const body = { username: 'newbie', displayName: 'Đinh Thị Mới', role: 'delegate', password: 'pass-word-1' };
    expect((await del.post('/api/users', body)).status).toBe(403);
    const created = await admin.post('/api/users', body);
    expect(created.status).toBe(201);
    expect(PublicUser.parse(created.body).displayName).toBe('Đinh Thị Mới');
    expect((await admin.post('/api/users', body)).status).toBe(409);
    await api.login('newbie', 'pass-word-1');
  });
});
