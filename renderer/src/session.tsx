import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { PublicUser } from '../../shared/api/auth';
import { PublicUser as PublicUserSchema } from '../../shared/api/auth';
import { configureApi } from './api/http';
import { platform } from './platform';

/**
 * Who is signed in. The token lives in sessionStorage: one tab = one session, closed with the tab,
 * and several delegates can share one browser in separate contexts.
 */
export interface Session {
  readonly token: string;
  readonly user: PublicUser;
}

interface SessionApi {
  readonly session: Session | null;
  readonly signIn: (s: Session) => void;
  readonly signOut: () => void;
}

const KEY = 'ecab.session';
const Ctx = createContext<SessionApi | null>(null);

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) {
      return null;
    }
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || !('token' in parsed) || typeof parsed.token !== 'string') {
      return null;
    }
    const user = PublicUserSchema.safeParse((parsed as { user?: unknown }).user);
    return user.success ? { token: parsed.token, user: user.data } : null;
  } catch {
    return null;
  }
}

export function SessionProvider({ children, initial }: Readonly<{ children: ReactNode; initial?: Session | null }>) {
  const [session, setSession] = useState<Session | null>(() => {
    const s = initial !== undefined ? initial : load();
    configureApi({ token: s?.token ?? null });
    return s;
  });
  const signIn = useCallback((s: Session) => {
    configureApi({ token: s.token });
    try {
      sessionStorage.setItem(KEY, JSON.stringify(s));
    } catch {
      // Storage disabled: the session lasts until reload.
    }
    setSession(s);
  }, []);
  const signOut = useCallback(() => {
    configureApi({ token: null });
    // The desktop main process holds the session too (it signed in): it forgets it as well.
    void platform.session?.signOut().catch(() => undefined);
    try {
      sessionStorage.removeItem(KEY);
    } catch {
      // ignore
    }
    setSession(null);
  }, []);
  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): SessionApi {
  const v = useContext(Ctx);
  if (!v) {
    throw new Error('useSession outside SessionProvider');
  }
  return v;
}
