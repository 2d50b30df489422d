import { extname, resolve, sep } from 'node:path';
import { parseUrl } from '../security/url-guards';
import { APP_HOST, APP_SCHEME } from '../app-origin';

export type AppPathResult =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'reject'; readonly status: 400 | 403 | 404 };

/**
 * Maps `app://ecabinet/<path>` to a file under `root` (Checklist 18). Traversal is impossible: the
 * decoded path may not contain `..` segments, backslashes or NUL, and the resolved file must still
 * lie inside `root`. Paths without an extension are client-side routes and get index.html (SPA).
 */
export function resolveAppPath(rawUrl: string, root: string): AppPathResult {
  const u = parseUrl(rawUrl);
  if (!u || u.protocol !== `${APP_SCHEME}:`) {
    return { kind: 'reject', status: 400 };
  }
  if (u.hostname !== APP_HOST || u.port !== '' || u.username !== '' || u.password !== '') {
    return { kind: 'reject', status: 403 };
  }
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return { kind: 'reject', status: 400 };
  }
  if (path.includes('\0') || path.includes('\\') || path.split('/').some((seg) => seg === '..')) {
    return { kind: 'reject', status: 403 };
  }
  const base = resolve(root);
  const relative = path === '/' || extname(path) === '' ? 'index.html' : path.replace(/^\/+/, '');
  const file = resolve(base, relative);
  if (!file.startsWith(base + sep)) {
    return { kind: 'reject', status: 403 };
  }
  return { kind: 'file', path: file };
}
