import { parseUrl } from './url-guards';

/**
 * Checklist 7: a strict Content-Security-Policy for the renderer, sent as a response header by the
 * app:// protocol handler. Scripts only from our own origin (no inline, no eval — pdf.js runs with
 * isEvalSupported: false); network only to the configured session server (HTTP + its WebSocket).
 * style-src allows inline styles because React and pdf.js set style attributes at runtime; styles
 * cannot run code, scripts stay strict.
 */
export function buildCsp(serverUrl: string): string {
  const connect = ["'self'"];
  const u = parseUrl(serverUrl);
  if (u && (u.protocol === 'http:' || u.protocol === 'https:')) {
    connect.push(u.origin, `${u.protocol === 'https:' ? 'wss:' : 'ws:'}//${u.host}`);
  }
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'worker-src': ["'self'", 'blob:'],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': connect,
    'manifest-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
  };
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');
}
