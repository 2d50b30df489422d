import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from '../../../electron/main/protocol/app-protocol';
import { resolveAppPath } from '../../../electron/main/protocol/resolve-app-path';

let base: string;
let root: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'ecab-proto-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>E-Cabinet</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(base, 'secret.txt'), 'TOP SECRET');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('resolveAppPath (Checklist 18: app:// instead of file://)', () => {
  it('maps files and client routes inside the root', () => {
    expect(resolveAppPath('app://ecabinet/assets/app.js', root)).toEqual({
      kind: 'file',
      path: join(root, 'assets', 'app.js'),
    });
    expect(resolveAppPath('app://ecabinet/', root)).toEqual({ kind: 'file', path: join(root, 'index.html') });
    expect(resolveAppPath('app://ecabinet/meetings/123', root)).toEqual({
      kind: 'file',
      path: join(root, 'index.html'),
    });
  });
  it('URL-normalises dot segments before mapping, so they stay inside the root', () => {
    // The URL parser resolves %2e%2e like "..", clamped at the root: these name root/secret.txt.
    expect(resolveAppPath('app://ecabinet/%2e%2e/secret.txt', root)).toEqual({
      kind: 'file',
      path: join(root, 'secret.txt'),
    });
    expect(resolveAppPath('app://ecabinet/assets/%2E%2E/%2E%2E/secret.txt', root)).toEqual({
      kind: 'file',
      path: join(root, 'secret.txt'),
    });
  });
  it.each([
    ['app://ecabinet/..%2fsecret.txt', 403],
    ['app://ecabinet/assets/..%5c..%5csecret.txt', 403],
    ['app://ecabinet/index.html%00.js', 403],
    ['app://attacker.com/index.html', 403],
    ['app://ecabinet.attacker.com/index.html', 403],
    ['app://ecabinet:81/index.html', 403],
    ['app://ecabinet/%E0%A4%A', 400],
    ['file:///etc/passwd', 400],
    ['not a url', 400],
  ] as const)('refuses %s with %i', (url, status) => {
    expect(resolveAppPath(url, root)).toEqual({ kind: 'reject', status });
  });
});

describe('app:// protocol handler', () => {
  const handler = () => createAppProtocolHandler(root, () => "default-src 'none'; script-src 'self'");

  it('serves the renderer with the CSP header and a content type', async () => {
    const res = await handler()(new Request('app://ecabinet/assets/app.js'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/javascript');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe('console.log(1)');
  });
  it('serves index.html for client routes', async () => {
    const res = await handler()(new Request('app://ecabinet/meetings/abc'));
    expect(await res.text()).toContain('<title>E-Cabinet</title>');
  });
  it('never serves a file outside the root, nor for another host', async () => {
    for (const url of [
      'app://ecabinet/%2e%2e/secret.txt',
      'app://ecabinet/assets/%2e%2e/%2e%2e/secret.txt',
      'app://evil/secret.txt',
    ]) {
      const res = await handler()(new Request(url));
      expect([403, 404], url).toContain(res.status);
      expect(await res.text()).not.toContain('TOP SECRET');
    }
    expect((await handler()(new Request('app://ecabinet/missing.js'))).status).toBe(404);
  });
});
