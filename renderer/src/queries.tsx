import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { useSession } from './session';

/**
 * Server data in the renderer goes through TanStack Query: one request per key however many
 * components ask, kept while fresh, re-read when the window regains focus or the network comes back,
 * and re-read on demand when the live room says something changed (invalidateQueries).
 * One cache per signed-in session: after a sign-out nothing read for the previous user can show.
 */
function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: 1, refetchOnWindowFocus: true, refetchOnReconnect: true },
    },
  });
}

export function SessionQueries({ children }: Readonly<{ children: ReactNode }>) {
  const { session } = useSession();
  const token = session?.token ?? null;
  const [cache, setCache] = useState(() => ({ token, client: newQueryClient() }));
  if (cache.token !== token) {
    // Replaced during render (React re-renders before any child sees the old cache).
    setCache({ token, client: newQueryClient() });
  }
  useEffect(() => () => cache.client.clear(), [cache]);
  return <QueryClientProvider client={cache.client}>{children}</QueryClientProvider>;
}
