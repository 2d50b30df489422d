import type { z } from 'zod';
import { LoginResponse, type PublicUser } from '../../../shared/api/auth';
import { ErrorResponse } from '../../../shared/errors';
import { IpcError } from '../ipc/ipc-error';
import { ServerUrl } from '../settings/schema';
import type { SettingsService } from '../settings/settings-service';

/** Who is signed in, as the main process learned it from the server itself. */
export interface SignedIn {
  readonly serverUrl: string;
  readonly token: string;
  readonly user: PublicUser;
}

export interface DesktopSessionOptions {
  readonly settings: SettingsService;
  readonly fetchImpl?: typeof fetch;
}

/**
 * The signed-in user of the desktop client, held by the main process. The main process performs the
 * sign-in against the configured server, so the user id that keys the offline cache and private notes
 * comes from the server's answer, never from the page (a compromised page could otherwise name any
 * user and read that user's notes and cached documents on a shared device).
 */
export class DesktopSession {
  private current: SignedIn | null = null;

  constructor(private readonly o: DesktopSessionOptions) {}

  async signIn(serverUrl: string, username: string, password: string): Promise<SignedIn & { expiresAt: string }> {
    const parsedUrl = ServerUrl.safeParse(serverUrl);
    if (!parsedUrl.success) {
      const message = parsedUrl.error.issues[0]?.message ?? 'invalid server address';
      throw new IpcError(/https/.test(message) ? 'INSECURE_SERVER' : 'VALIDATION_ERROR', message);
    }
    const origin = parsedUrl.data;
    let res: Response;
    try {
      res = await (this.o.fetchImpl ?? fetch)(new URL('/api/auth/login', origin), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
        redirect: 'error',
      });
    } catch {
      throw new IpcError('UNREACHABLE', 'Server unreachable');
    }
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const err = ErrorResponse.safeParse(body);
      throw new IpcError(
        err.success ? err.data.error.code : `HTTP_${res.status}`,
        err.success ? err.data.error.message : `server answered ${res.status}`,
      );
    }
    const login = LoginResponse.safeParse(body);
    if (!login.success) {
      throw new IpcError('UNEXPECTED_RESPONSE', 'The server answered the sign-in in an unexpected shape');
    }
    if (this.o.settings.get().serverUrl !== origin) {
      // Only a successful sign-in moves the saved server (a typo cannot strand the user elsewhere).
      this.o.settings.update({ serverUrl: origin });
    }
    this.current = { serverUrl: origin, token: login.data.token, user: login.data.user };
    return { ...this.current, expiresAt: login.data.expiresAt };
  }

  /** The session when it belongs to the server currently configured, else null. */
  get(): SignedIn | null {
    const c = this.current;
    return c && c.serverUrl === this.o.settings.get().serverUrl ? c : null;
  }

  /** The signed-in user, or NOT_SIGNED_IN: every per-user operation goes through here. */
  require(): SignedIn {
    const c = this.get();
    if (!c) {
      throw new IpcError('NOT_SIGNED_IN', 'Sign in first');
    }
    return c;
  }

  /** GET a JSON resource of the configured server as the signed-in user, parsed with `schema`. */
  async getJson<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const s = this.require();
    let res: Response;
    try {
      res = await (this.o.fetchImpl ?? fetch)(new URL(path, s.serverUrl), {
        headers: { authorization: `Bearer ${s.token}` },
        redirect: 'error',
      });
    } catch {
      throw new IpcError('UNREACHABLE', 'Server unreachable');
    }
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      if (res.status === 401) {
        this.signOut();
      }
      const err = ErrorResponse.safeParse(body);
      throw new IpcError(
        err.success ? err.data.error.code : `HTTP_${res.status}`,
        err.success ? err.data.error.message : `server answered ${res.status}`,
      );
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new IpcError('UNEXPECTED_RESPONSE', 'The server answered in an unexpected shape');
    }
    return parsed.data;
  }

  /** Forgets the session (sign-out, or the server said the token is no longer valid). */
  signOut(): void {
    this.current = null;
  }
}
