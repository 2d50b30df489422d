import { APP_HOST, APP_SCHEME } from '../app-origin';

/** Parses a URL without throwing; hostile or malformed input yields null. */
export function parseUrl(raw: unknown): URL | null {
  if (typeof raw !== 'string' || raw.length > 4000) {
    return null;
  }
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/** True only for `app://ecabinet/...` — not `app://ecabinet.evil/`, not `file://`, not credentials. */
export function isAppUrl(raw: unknown): boolean {
  const u = parseUrl(raw);
  return (
    u !== null &&
    u.protocol === `${APP_SCHEME}:` &&
    u.hostname === APP_HOST &&
    u.port === '' &&
    u.username === '' &&
    u.password === ''
  );
}

/**
 * Checklist 13 (limit navigation): the window may only ever show our own app:// pages. Client-side
 * routes use the History API and never fire `will-navigate`, so everything else is refused.
 */
export function isNavigationAllowed(raw: unknown): boolean {
  return isAppUrl(raw);
}

/** Same scheme, host and port: used to keep main-process downloads on the configured server. */
export function isSameOrigin(raw: unknown, base: unknown): boolean {
  const a = parseUrl(raw);
  const b = parseUrl(base);
  if (
    !a ||
    !b ||
    (a.protocol !== 'http:' && a.protocol !== 'https:') ||
    a.username !== '' ||
    a.password !== ''
  ) {
    return false;
  }
  return a.origin === b.origin;
}

/**
 * Hosts the delegate may open in the system browser (legal texts cited in meeting documents).
 * A host matches itself and its subdomains; nothing else is ever passed to shell.openExternal.
 */
export const EXTERNAL_HOSTS: readonly string[] = [
  'vbpl.vn',
  'chinhphu.vn',
  'quochoi.vn',
  'thuvienphapluat.vn',
  'congbao.chinhphu.vn',
];

/** Checklist 15: no openExternal with untrusted input — https only, allow-listed hosts, no credentials. */
export function isExternalUrlAllowed(raw: unknown, hosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  const u = parseUrl(raw);
  if (!u || u.protocol !== 'https:' || u.username !== '' || u.password !== '' || u.port !== '') {
    return false;
  }
  const host = u.hostname.toLowerCase();
  return hosts.some((h) => host === h || host.endsWith(`.${h}`));
}
