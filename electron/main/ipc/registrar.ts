import type { z } from 'zod';
import type { ErrorBody, Result } from '../../../shared/errors';
import type { IpcChannels, IpcResponse } from '../../../shared/ipc';
import { ipc } from '../../../shared/ipc';
import { isAppUrl } from '../security/url-guards';
import { IpcError } from './ipc-error';

/** The parts of electron's IpcMainInvokeEvent we rely on (injected so this is testable in Node). */
export interface SenderFrameLike {
  readonly url: string;
  readonly parent: unknown;
}
export interface InvokeEventLike {
  readonly senderFrame: SenderFrameLike | null | undefined;
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export type Handler<K extends keyof IpcChannels> = (
  request: z.output<IpcChannels[K]['request']>,
) => Promise<IpcResponse<K>>;

/**
 * Checklist 17 (validate every IPC sender, VS Code style): only the top frame of our own app:// page
 * may call; a subframe, a destroyed frame or any other origin is refused before the payload is read.
 */
export function checkSender(event: InvokeEventLike): ErrorBody | null {
  const frame = event.senderFrame;
  if (!frame) {
    return { code: 'FORBIDDEN', message: 'IPC sender frame is gone' };
  }
  if (frame.parent !== null && frame.parent !== undefined) {
    return { code: 'FORBIDDEN', message: 'IPC from a subframe is not accepted' };
  }
  if (!isAppUrl(frame.url)) {
    return { code: 'FORBIDDEN', message: 'IPC from an untrusted origin is not accepted' };
  }
  return null;
}

/** Runs one request through sender check → zod parse → handler, always resolving to a Result. */
export async function dispatch<K extends keyof IpcChannels>(
  key: K,
  handler: Handler<K>,
  event: InvokeEventLike,
  payload: unknown,
  onUnexpected?: (channel: string, err: unknown) => void,
): Promise<Result<IpcResponse<K>>> {
  const denied = checkSender(event);
  if (denied) {
    return { ok: false, error: denied };
  }
  const parsed = ipc[key].request.safeParse(payload);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
    return {
      ok: false,
      error: { code: 'VALIDATION_ERROR', message: `${where}${first?.message ?? 'invalid request'}` },
    };
  }
  try {
    return { ok: true, value: await handler(parsed.data as z.output<IpcChannels[K]['request']>) };
  } catch (err) {
    if (err instanceof IpcError) {
      return { ok: false, error: { code: err.code, message: err.message } };
    }
    onUnexpected?.(ipc[key].name, err);
    // Unexpected failures are not described to the renderer (no paths or stack traces across IPC).
    return { ok: false, error: { code: 'INTERNAL', message: 'Internal error in the desktop shell' } };
  }
}

export interface IpcRegistrar {
  handle<K extends keyof IpcChannels>(key: K, handler: Handler<K>): void;
  dispose(): void;
}

/** Registers handlers by contract key; channel names come only from shared/ipc.ts. */
export function createIpcRegistrar(
  ipcMain: IpcMainLike,
  onUnexpected?: (channel: string, err: unknown) => void,
): IpcRegistrar {
  const registered: string[] = [];
  return {
    handle(key, handler) {
      const name = ipc[key].name;
      ipcMain.handle(name, async (event, ...args) => {
        // Exactly one argument per request: extra arguments are a malformed call.
        if (args.length > 1) {
          return { ok: false, error: { code: 'VALIDATION_ERROR', message: 'one argument expected' } };
        }
        return dispatch(key, handler, event, args[0], onUnexpected);
      });
      registered.push(name);
    },
    dispose() {
      for (const name of registered.splice(0)) {
        ipcMain.removeHandler(name);
      }
    },
  };
}
