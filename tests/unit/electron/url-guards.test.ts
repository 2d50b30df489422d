import { describe, expect, it } from 'vitest';
import {
  isAppUrl,
  isExternalUrlAllowed,
  isNavigationAllowed,
  isSameOrigin,
} from '../../../electron/main/security/url-guards';
import { createSafeOpenExternal } from '../../../electron/main/security/open-external';
import {
  hardenWebContents,
  type ContentsLike,
  type PreventableEvent,
} from '../../../electron/main/security/harden-contents';

const hostile = [
  'file://attacker.com/etc/passwd',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'http://ecabinet/',
  'https://attacker.com/',
  'app://attacker.com/',
  'app://ecabinet.attacker.com/',
  'app://ecabinet@attacker.com/',
  'app://user:pw@ecabinet/',
  'app://ecabinet:8080/',
  'not a url',
  '',
];

describe('app:// navigation guard (Checklist 13)', () => {
  it('allows our own app:// pages', () => {
    expect(isAppUrl('app://ecabinet/')).toBe(true);
    expect(isNavigationAllowed('app://ecabinet/meetings/1?x=2#p3')).toBe(true);
  });
  it.each(hostile)('refuses %j', (url) => {
    expect(isNavigationAllowed(url)).toBe(false);
  });
  it('refuses non-strings', () => {
    expect(isNavigationAllowed(undefined)).toBe(false);
    expect(isNavigationAllowed({ href: 'app://ecabinet/' })).toBe(false);
  });
});

describe('openExternal allow-list (Checklist 15)', () => {
  it('allows https links to listed hosts and their subdomains', () => {
    expect(isExternalUrlAllowed('https://vbpl.vn/van-ban/123')).toBe(true);
    expect(isExternalUrlAllowed('https://congbao.chinhphu.vn/x')).toBe(true);
  });
  it.each([
    ...hostile,
    'http://vbpl.vn/',
    'https://vbpl.vn.attacker.com/',
    'https://attacker.com/?u=https://vbpl.vn',
    'https://evilvbpl.vn/',
    'https://user@vbpl.vn/',
    'https://vbpl.vn:8443/',
    'smb://vbpl.vn/share',
    'ms-msdt:/id PCWDiagnostic',
  ])('refuses %j', (url) => {
    expect(isExternalUrlAllowed(url)).toBe(false);
  });

  it('the wrapper calls shell.openExternal only for allowed URLs, with the normalised URL', async () => {
    const opened: string[] = [];
    const open = createSafeOpenExternal(async (u) => {
      opened.push(u);
    });
    expect(await open('file://attacker.com/x')).toBe(false);
    expect(await open('javascript:alert(1)')).toBe(false);
    expect(await open('https://VBPL.vn/a b')).toBe(true);
    expect(opened).toEqual(['https://vbpl.vn/a%20b']);
  });
});

describe('same-origin check for main-process downloads', () => {
  it('accepts only the configured server origin', () => {
    expect(isSameOrigin('http://127.0.0.1:4100/api/documents/x/content', 'http://127.0.0.1:4100')).toBe(true);
    expect(isSameOrigin('http://127.0.0.1:4101/api/x', 'http://127.0.0.1:4100')).toBe(false);
    expect(isSameOrigin('http://169.254.169.254/latest/meta-data', 'http://127.0.0.1:4100')).toBe(false);
    expect(isSameOrigin('file:///etc/passwd', 'file:///')).toBe(false);
    expect(isSameOrigin('http://a:b@127.0.0.1:4100/', 'http://127.0.0.1:4100')).toBe(false);
    expect(isSameOrigin('nope', 'http://127.0.0.1:4100')).toBe(false);
  });
});

/** A stand-in for Electron's WebContents event surface: records listeners, fires events. */
class FakeContents implements ContentsLike {
  readonly listeners = new Map<string, ((e: PreventableEvent, url: string) => void)[]>();
  openHandler: ((d: { url: string }) => { action: 'deny' }) | undefined;
  on(event: string, listener: (e: PreventableEvent, url: string) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: 'deny' }): void {
    this.openHandler = h;
  }
  fire(event: string, url = ''): boolean {
    let prevented = false;
    for (const l of this.listeners.get(event) ?? []) {
      l({ preventDefault: () => (prevented = true) }, url);
    }
    return prevented;
  }
}

describe('hardenWebContents (Checklists 13, 14)', () => {
  it('blocks navigation, redirects and webviews away from app://, denies every window.open', async () => {
    const c = new FakeContents();
    const opened: string[] = [];
    hardenWebContents(
      c,
      createSafeOpenExternal(async (u) => void opened.push(u)),
    );
    expect(c.fire('will-navigate', 'https://attacker.com/')).toBe(true);
    expect(c.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(c.fire('will-redirect', 'app://ecabinet.attacker.com/')).toBe(true);
    expect(c.fire('will-frame-navigate', 'javascript:alert(1)')).toBe(true);
    expect(c.fire('will-navigate', 'app://ecabinet/meetings')).toBe(false);
    expect(c.fire('will-attach-webview')).toBe(true);
    expect(c.openHandler?.({ url: 'https://attacker.com/' })).toEqual({ action: 'deny' });
    expect(c.openHandler?.({ url: 'https://vbpl.vn/doc' })).toEqual({ action: 'deny' });
    await new Promise((r) => setTimeout(r, 0));
    expect(opened).toEqual(['https://vbpl.vn/doc']);
  });
});
