import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { resolveAppPath } from './resolve-app-path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.bcmap': 'application/octet-stream',
  '.pfb': 'application/octet-stream',
};

/**
 * The `protocol.handle('app', …)` handler serving the built renderer. It sets the CSP on every response
 * (Checklist 7: the header, not only a meta tag) and never serves anything outside `root`.
 */
export function createAppProtocolHandler(root: string, csp: () => string) {
  return async (request: Request): Promise<Response> => {
    const resolved = resolveAppPath(request.url, root);
    if (resolved.kind === 'reject') {
      return new Response(null, { status: resolved.status });
    }
    let body: Buffer;
    try {
      body = await readFile(resolved.path);
    } catch {
      return new Response(null, { status: 404 });
    }
    return new Response(new Uint8Array(body), {
      status: 200,
      headers: {
        'content-type': TYPES[extname(resolved.path).toLowerCase()] ?? 'application/octet-stream',
        'content-security-policy': csp(),
        'x-content-type-options': 'nosniff',
        'cross-origin-opener-policy': 'same-origin',
        'referrer-policy': 'no-referrer',
      },
    });
  };
}
