import { useEffect, useRef, useState } from 'react';
import { RoomClient } from '../../../shared/room/client';
import type { RoomSnapshot } from '../../../shared/room/events';
import { apiBase } from '../api/http';
import { useConnection } from '../connection';
import { reduceRoom, type RoomEvent } from './reduce';

export interface RoomState {
  readonly snapshot: RoomSnapshot | null;
  readonly client: RoomClient | null;
  /** Join refused or handshake failed (code from the server, e.g. NOT_FOUND, UNAUTHENTICATED). */
  readonly error: string | null;
  /** Server clock minus ours, for countdowns that agree across devices. */
  readonly clockOffsetMs: number;
}

/** Connects to the live room of one meeting and keeps its snapshot current. */
export function useRoom(meetingId: string, token: string | null): RoomState {
  const { report } = useConnection();
  const [snapshot, setSnapshot] = useState<RoomSnapshot | null>(null);
  const [client, setClient] = useState<RoomClient | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [clockOffsetMs, setOffset] = useState(0);
  const reportRef = useRef(report);
  useEffect(() => {
    reportRef.current = report;
  }, [report]);

  // An effect, not a query: this owns a socket for as long as the screen shows the meeting and applies
  // what the server pushes; the request/response data around it goes through TanStack Query
  // (queries.tsx), which room events invalidate.
  useEffect(() => {
    if (!token) {
      return;
    }
    // Aborted on cleanup: the connect and join below may settle after this socket was closed.
    const closed = new AbortController();
    const room = new RoomClient({ url: apiBase() || window.location.origin, token });
    const offs: (() => void)[] = [];
    const apply = (e: RoomEvent) => setSnapshot((s) => (s ? reduceRoom(s, e) : s));
    offs.push(
      room.onSnapshot((s) => {
        setSnapshot(s);
        setOffset(Date.parse(s.serverTime) - Date.now());
      }),
    );
    offs.push(room.on('meeting:state', (payload) => apply({ type: 'meeting:state', payload })));
    offs.push(room.on('attendance:update', (payload) => apply({ type: 'attendance:update', payload })));
    offs.push(room.on('speakers:update', (payload) => apply({ type: 'speakers:update', payload })));
    offs.push(room.on('poll:update', (payload) => apply({ type: 'poll:update', payload })));
    offs.push(room.on('poll:deleted', (payload) => apply({ type: 'poll:deleted', payload })));
    offs.push(room.on('poll:tally', (payload) => apply({ type: 'poll:tally', payload })));
    offs.push(room.on('ballot:mine', (payload) => apply({ type: 'ballot:mine', payload })));
    const onConnect = () => reportRef.current('online');
    const onDisconnect = (reason: string) => reportRef.current(reason === 'io client disconnect' ? null : 'reconnecting');
    const onFail = () => reportRef.current('offline');
    room.socket.on('connect', onConnect);
    room.socket.on('disconnect', onDisconnect);
    room.socket.io.on('reconnect_failed', onFail);
    reportRef.current('reconnecting');
    room
      .connect()
      .then(() => {
        if (!closed.signal.aborted) {
          setClient(room);
        }
        return room.join(meetingId);
      })
      .then(() => {
        if (!closed.signal.aborted) {
          setError(null);
        }
      })
      .catch((e: unknown) => {
        if (!closed.signal.aborted) {
          setError(e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : e instanceof Error ? e.message : 'ERROR');
          reportRef.current('offline');
        }
      });
    return () => {
      closed.abort();
      for (const off of offs) {
        off();
      }
      room.close();
      reportRef.current(null);
      setClient(null);
      setSnapshot(null);
    };
  }, [meetingId, token]);

  return { snapshot, client, error, clockOffsetMs };
}
