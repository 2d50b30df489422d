import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import { useConnection } from '../connection';
import { flushPendingNotes, localNotes, syncNotes, type Notes } from './notes-sync';

const notesKey = (userId: string, documentId: string) => ['notes', userId, documentId] as const;

/**
 * One user's private notes on one document (a TanStack query): the device's copy at once, then the
 * copy synced with the server while the connection is up; synced again when the window regains focus
 * and whenever the connection comes back. `update` puts the result of an edit in place.
 */
export function useNotes(userId: string, documentId: string): { notes: Notes | null; update: (n: Notes) => void } {
  const queries = useQueryClient();
  const online = useConnection().state === 'online';
  const key = notesKey(userId, documentId);
  const { data } = useQuery({
    queryKey: key,
    queryFn: async () => {
      if (!online) {
        return localNotes(userId, documentId);
      }
      if (queries.getQueryData(key) === undefined) {
        // Shown while the server is asked, which may take long on a poor link.
        queries.setQueryData(key, await localNotes(userId, documentId));
      }
      return syncNotes(userId, documentId);
    },
    // The device's copy is readable offline: never pause this query for want of a network.
    networkMode: 'always',
  });

  // Back online: sync again. "Online" here includes the live room's socket, not only the browser's
  // network flag the library watches, so a reconnect after a server restart syncs as well.
  const wasOnline = useRef(online);
  useEffect(() => {
    if (online && !wasOnline.current) {
      void queries.invalidateQueries({ queryKey: notesKey(userId, documentId) });
    }
    wasOnline.current = online;
  }, [online, queries, userId, documentId]);

  const update = useCallback((n: Notes) => queries.setQueryData(notesKey(userId, documentId), n), [queries, userId, documentId]);
  return { notes: data ?? null, update };
}

/**
 * Notes edited offline (on any document) are pushed when a reader opens and when the connection comes
 * back. `ready` once the first page is drawn, so this never delays it.
 */
export function useFlushPendingNotes(userId: string | null, ready: boolean): void {
  const online = useConnection().state === 'online';
  useEffect(() => {
    if (userId && ready && online) {
      void flushPendingNotes(userId);
    }
  }, [userId, ready, online]);
}
