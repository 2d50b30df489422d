import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server';
import { roomFixture, type RoomFixture } from './room-helpers';

/** The web client's headers and the Socket.IO Origin check (docs/security.md "Server controls"). */
describe('web client headers and socket origins', () => {
  let srv: TestServer;
  let f: RoomFixture;
  const webDir = mkdtempSync(join(tmpdir(), 'ecab-web-'));

  beforeAll(async () => {
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>E-Cabinet</title>');
    srv = await startServer({ seed: 'demo', config: { webDir, allowedOrigins: ['https://hop.example.gov.vn'] } });
    f = await roomFixture(srv.server.ctx.db, { delegates: 1 });
  });
  afterAll(async () => {
    await srv.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  it('sends CSP (frame-ancestors none, connect-src self), X-Frame-Options and Referrer-Policy with the page', async () => {
    for (const path of ['/', '/meetings/abc']) {
      const res = await fetch(srv.url + path);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/connect-src 'self'(;|$)/);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  const attempt = async (origin: string | undefined): Promise<'connected' | 'refused'> => {
    const token = await f.token('delegate01');
    const socket = io(srv.url, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      ...(origin ? { extraHeaders: { origin } } : {}),
    });
    try {
      return await new Promise((resolve) => {
        socket.once('connect', () => resolve('connected'));
        socket.once('connect_error', () => resolve('refused'));
      });
    } finally {
      socket.close();
    }
  };

  it('refuses a Socket.IO upgrade from a foreign origin and accepts the allowed ones', async () => {
    expect(await attempt('https://evil.example')).toBe('refused');
    expect(await attempt('null')).toBe('refused');
    expect(await attempt(new URL(srv.url).origin)).toBe('connected');
    expect(await attempt('app://ecabinet')).toBe('connected');
    expect(await attempt('https://hop.example.gov.vn')).toBe('connected');
    // Node clients (CLI, bench, tests) send no Origin and authenticate with their token.
    expect(await attempt(undefined)).toBe('connected');
  });
});
