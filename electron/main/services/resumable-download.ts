import { createHash, type Hash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ErrorResponse } from '../../../shared/errors';
import { IpcError } from '../ipc/ipc-error';
import { openRecords, SealedAppender, MAX_RECORD } from './sealed-file';

export interface DownloadOptions {
  readonly url: string;
  readonly token: string;
  /** Sealed part file; kept between attempts so an interrupted download resumes with Range. */
  readonly partPath: string;
  readonly key: Buffer;
  readonly label: string;
  readonly expectedSize: number;
  readonly recordSize?: number;
  readonly fetchImpl?: typeof fetch;
  readonly signal?: AbortSignal;
  readonly onProgress?: (received: number) => void;
}

export interface DownloadResult {
  readonly sha256: string;
  readonly size: number;
  /** Bytes that came over the network in this call (less than size after a resume). */
  readonly fetched: number;
}

interface PartState {
  hash: Hash;
  received: number;
  validLength: number;
  records: number;
}

async function readPart(opts: DownloadOptions): Promise<PartState> {
  let data: Buffer;
  try {
    data = await readFile(opts.partPath);
  } catch {
    data = Buffer.alloc(0);
  }
  const opened = openRecords(opts.key, opts.label, data);
  const hash = createHash('sha256');
  let received = 0;
  for (const r of opened.records) {
    hash.update(r);
    received += r.length;
  }
  if (received > opts.expectedSize) {
    return { hash: createHash('sha256'), received: 0, validLength: 0, records: 0 };
  }
  return { hash, received, validLength: opened.validLength, records: opened.records.length };
}

async function failFromResponse(res: Response): Promise<never> {
  let message = `server answered ${res.status}`;
  let code =
    res.status === 401
      ? 'UNAUTHENTICATED'
      : res.status === 403
        ? 'FORBIDDEN'
        : res.status === 404
          ? 'NOT_FOUND'
          : 'DOWNLOAD_FAILED';
  try {
    const body = ErrorResponse.safeParse(await res.json());
    if (body.success) {
      code = body.data.error.code;
      message = body.data.error.message;
    }
  } catch {
    // Not JSON: keep the status-based message.
  }
  throw new IpcError(code, message);
}

/** `Content-Range: bytes START-END/TOTAL` → START, or null when absent or malformed. */
function rangeStart(res: Response): number | null {
  const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
  return m?.[1] ? Number(m[1]) : null;
}

/**
 * Downloads `url` into a sealed part file, continuing where an earlier attempt stopped (Range:
 * bytes=N-). Plaintext never touches the disk; the SHA-256 of the whole content is returned so the
 * caller can verify it against the manifest before accepting the file.
 */
export async function downloadSealed(opts: DownloadOptions): Promise<DownloadResult> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const recordSize = Math.min(opts.recordSize ?? 256 * 1024, MAX_RECORD);
  let state = await readPart(opts);
  let fetched = 0;
  if (state.received < opts.expectedSize || opts.expectedSize === 0) {
    const headers: Record<string, string> = { authorization: `Bearer ${opts.token}` };
    if (state.received > 0) {
      headers.range = `bytes=${state.received}-`;
    }
    const res = await fetchImpl(opts.url, { headers, signal: opts.signal, redirect: 'error' });
    if (res.status === 206) {
      if (rangeStart(res) !== state.received) {
        await res.body?.cancel();
        throw new IpcError('DOWNLOAD_FAILED', 'server answered a different range than requested');
      }
    } else if (res.status === 200) {
      // The server ignored our Range (or we had nothing): start over.
      state = { hash: createHash('sha256'), received: 0, validLength: 0, records: 0 };
    } else {
      await failFromResponse(res);
    }
    const out = await SealedAppender.open(
      opts.partPath,
      opts.key,
      opts.label,
      state.validLength,
      state.records,
    );
    const pending: Buffer[] = [];
    let pendingLen = 0;
    const flush = async () => {
      if (pendingLen === 0) {
        return;
      }
      const chunk = Buffer.concat(pending, pendingLen);
      pending.length = 0;
      pendingLen = 0;
      await out.append(chunk);
      state.hash.update(chunk);
      state.received += chunk.length;
      opts.onProgress?.(state.received);
    };
    try {
      if (res.body) {
        // Leaving this loop early (throw) cancels the response stream.
        for await (const value of res.body as unknown as AsyncIterable<Uint8Array>) {
          fetched += value.length;
          if (state.received + pendingLen + value.length > opts.expectedSize) {
            throw new IpcError('DOCUMENT_INTEGRITY', 'the server sent more bytes than the manifest lists');
          }
          pending.push(Buffer.from(value));
          pendingLen += value.length;
          if (pendingLen >= recordSize) {
            await flush();
          }
        }
      }
    } finally {
      // Also on abort: what arrived is kept (sealed) so the next attempt resumes after it.
      await flush();
      await out.close();
    }
  }
  return { sha256: state.hash.digest('hex'), size: state.received, fetched };
}
