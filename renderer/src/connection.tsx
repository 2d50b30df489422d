import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/** online / reconnecting / offline, always shown in the header. */
export type ConnectionState = 'online' | 'reconnecting' | 'offline';

interface ConnectionApi {
  readonly state: ConnectionState;
  /** The live room reports its socket state here; null = no live room open (browser state only). */
  readonly report: (state: ConnectionState | null) => void;
}

const Ctx = createContext<ConnectionApi>({ state: 'online', report: () => undefined });

export function ConnectionProvider({ children }: Readonly<{ children: ReactNode }>) {
  const [browserOnline, setBrowserOnline] = useState(() => (typeof navigator === 'undefined' ? true : navigator.onLine));
  const [room, setRoom] = useState<ConnectionState | null>(null);
  useEffect(() => {
    const up = () => setBrowserOnline(true);
    const down = () => setBrowserOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);
  const state: ConnectionState = !browserOnline ? 'offline' : (room ?? 'online');
  const value = useMemo(() => ({ state, report: setRoom }), [state]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useConnection(): ConnectionApi {
  return useContext(Ctx);
}
