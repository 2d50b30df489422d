import { describe, expect, it } from 'vitest';
import { buildCsp } from '../../../electron/main/security/csp';
import { isPermissionAllowed, PERMISSIONS } from '../../../electron/main/security/permissions';
import { devToolsAllowed, secureWebPreferences } from '../../../electron/main/security/web-preferences';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('CSP (Checklist 7)', () => {
  it('is strict: nothing by default, scripts only from self, no eval, no inline script', () => {
    const d = directives(buildCsp('http://127.0.0.1:4100'));
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    const all = [...d.values()].flat();
    expect(all).not.toContain("'unsafe-eval'");
    expect(d.get('script-src')).not.toContain("'unsafe-inline'");
    expect(all).not.toContain('*');
  });
  it('connects only to the configured server (HTTP and its WebSocket)', () => {
    expect(directives(buildCsp('https://hdnd.example.vn:8443/x')).get('connect-src')).toEqual([
      "'self'",
      'https://hdnd.example.vn:8443',
      'wss://hdnd.example.vn:8443',
    ]);
    expect(directives(buildCsp('http://127.0.0.1:4100')).get('connect-src')).toEqual([
      "'self'",
      'http://127.0.0.1:4100',
      'ws://127.0.0.1:4100',
    ]);
  });
  it('ignores a bogus server address instead of widening the policy', () => {
    expect(directives(buildCsp('javascript:alert(1); script-src *')).get('connect-src')).toEqual(["'self'"]);
    expect(directives(buildCsp('not a url')).get('connect-src')).toEqual(["'self'"]);
  });
});

describe('permission table (Checklist 5)', () => {
  it('gives a reason for every entry', () => {
    for (const [name, rule] of Object.entries(PERMISSIONS)) {
      expect(rule.reason.length, name).toBeGreaterThan(5);
    }
  });
  it('denies by default, and allows listed permissions only for app://', () => {
    expect(isPermissionAllowed('media', 'app://ecabinet/')).toBe(false);
    expect(isPermissionAllowed('geolocation', 'app://ecabinet/')).toBe(false);
    expect(isPermissionAllowed('some-future-permission', 'app://ecabinet/')).toBe(false);
    expect(isPermissionAllowed('toString', 'app://ecabinet/')).toBe(false);
    expect(isPermissionAllowed('__proto__', 'app://ecabinet/')).toBe(false);
    expect(isPermissionAllowed('fullscreen', 'app://ecabinet/')).toBe(true);
    expect(isPermissionAllowed('fullscreen', 'https://attacker.com/')).toBe(false);
    expect(isPermissionAllowed('fullscreen', undefined)).toBe(false);
  });
});

describe('webPreferences (Checklists 2–4, 6, 9)', () => {
  it('pins every security flag', () => {
    const p = secureWebPreferences('/x/preload.cjs');
    expect(p).toMatchObject({
      preload: '/x/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
    expect(p.enableBlinkFeatures).toBe('');
  });
  it('never allows DevTools in a packaged build, even with ECAB_DEVTOOLS=1', () => {
    expect(devToolsAllowed(true, { ECAB_DEVTOOLS: '1' })).toBe(false);
    expect(devToolsAllowed(false, { ECAB_DEVTOOLS: '1' })).toBe(true);
    expect(devToolsAllowed(false, {})).toBe(false);
    expect(secureWebPreferences('/x/preload.cjs').devTools).toBe(false);
    expect(secureWebPreferences('/x/preload.cjs', { devTools: devToolsAllowed(true, { ECAB_DEVTOOLS: '1' }) }).devTools).toBe(false);
  });
});
