import type { z } from 'zod';
import { ErrorResponse } from '../../../shared/errors';

/** A failed API call, with the server's error code or UNREACHABLE when no answer came. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let base = '';
let token: string | null = null;
let onUnauthenticated: (() => void) | null = null;

export function configureApi(opts: { base?: string | null; token?: string | null; onUnauthenticated?: () => void }): void {
  if (opts.base !== undefined) {
    base = (opts.base ?? '').replace(/\/$/, '');
  }
  if (opts.token !== undefined) {
    token = opts.token;
  }
  if (opts.onUnauthenticated) {
    onUnauthenticated = opts.onUnauthenticated;
  }
}

export function apiBase(): string {
  return base;
}

/** Absolute URL for a server path (documents' content URLs are relative). */
export function absoluteUrl(path: string): string {
  if (/^https?:\/\//.test(path)) {
    return path;
  }
  return `${base || window.location.origin}${path.startsWith('/') ? '' : '/'}${path}`;
}

export function currentToken(): string | null {
  return token;
}

/**
 * The one place a failed answer becomes an ApiError (fetch and XHR alike): the server's
 * `{"error":{"code","message"}}` when the body is one, else HTTP_<status> with the status text (a proxy
 * page, an empty body).
 */
export function apiErrorFrom(status: number, statusText: string, body: unknown): ApiError {
  const parsed = ErrorResponse.safeParse(body);
  return parsed.success ? new ApiError(status, parsed.data.error.code, parsed.data.error.message) : new ApiError(status, `HTTP_${status}`, statusText);
}

async function errorFrom(res: Response): Promise<ApiError> {
  // Not JSON (a proxy page): the status is all there is.
  const body: unknown = await res.json().catch(() => null);
  return apiErrorFrom(res.status, res.statusText, body);
}

/** JSON request; the answer is parsed with `schema` (outside input is never trusted). */
export async function api<S extends z.ZodType>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  schema: S | null,
  body?: unknown,
): Promise<z.infer<S>> {
  const headers: Record<string, string> = {};
  if (token) {
    headers.authorization = `Bearer ${token}`;
  }
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'UNREACHABLE', 'Server unreachable');
  }
  if (!res.ok) {
    const err = await errorFrom(res);
    if (res.status === 401 && err.code === 'UNAUTHENTICATED') {
      onUnauthenticated?.();
    }
    throw err;
  }
  if (!schema || res.status === 204) {
    return undefined as z.infer<S>;
  }
  return schema.parse(await res.json()) as z.infer<S>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export interface UploadProgress {
  readonly loaded: number;
  readonly total: number;
}

/**
 * Multipart upload through XMLHttpRequest: fetch has no upload progress events, and the secretariat
 * needs per-file progress.
 */
export function uploadMultipart<S extends z.ZodType>(
  path: string,
  form: FormData,
  schema: S,
  onProgress: (p: UploadProgress) => void,
): { promise: Promise<z.infer<S>>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<z.infer<S>>((resolve, reject) => {
    xhr.open('POST', `${base}${path}`);
    if (token) {
      xhr.setRequestHeader('authorization', `Bearer ${token}`);
    }
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : 0 });
    xhr.onerror = () => reject(new ApiError(0, 'UNREACHABLE', 'Server unreachable'));
    xhr.onabort = () => reject(new ApiError(0, 'ABORTED', 'Upload cancelled'));
    xhr.onload = () => {
      const json = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) {
        const parsed = schema.safeParse(json);
        if (parsed.success) {
          resolve(parsed.data as z.infer<S>);
        } else {
          reject(new ApiError(xhr.status, 'BAD_RESPONSE', 'Unexpected answer from the server'));
        }
        return;
      }
      reject(apiErrorFrom(xhr.status, xhr.statusText, json));
    };
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

/** A file from the server (exports): fetched with the session's token, handed to the browser to save. */
export async function downloadFile(path: string, fileName: string): Promise<void> {
  const headers: Record<string, string> = {};
  if (token) {
    headers.authorization = `Bearer ${token}`;
  }
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, { headers });
  } catch {
    throw new ApiError(0, 'UNREACHABLE', 'Server unreachable');
  }
  if (!res.ok) {
    throw await errorFrom(res);
  }
  const url = URL.createObjectURL(await res.blob());
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    // The click has handed the blob to the download; release it on the next turn.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
