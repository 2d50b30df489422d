/** The desktop app's renderer origin (electron/main: app:// protocol, host ecabinet). */
export const DESKTOP_ORIGIN = 'app://ecabinet';

/**
 * Whether a Socket.IO upgrade/handshake with this `Origin` may proceed (docs/security.md "Server
 * controls"). A browser always sends Origin on a WebSocket upgrade; refusing foreign origins stops a
 * hostile page from driving the room with a victim's browser. Allowed: no Origin at all (Node clients:
 * the CLI, bench, tests — they hold a bearer token anyway, Origin only matters for browsers), the
 * server's own origin (same host as the request), the desktop app, and `allowedOrigins` (e.g. the
 * public https origin when a reverse proxy rewrites Host).
 */
export function isOriginAllowed(origin: string | undefined, host: string | undefined, allowedOrigins: readonly string[]): boolean {
  if (origin === undefined) {
    return true;
  }
  if (origin === DESKTOP_ORIGIN) {
    return true;
  }
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && host !== undefined && parsed.host === host.toLowerCase()) {
    return true;
  }
  return allowedOrigins.some((a) => {
    try {
      return new URL(a).origin === parsed.origin;
    } catch {
      return false;
    }
  });
}
