import { useCallback, useState } from 'react';
import type { RoomClient } from '../../../shared/room/client';
import type { Ack } from '../../../shared/room/events';

/** Sends one room request and reports a refusal; the console shows the last refusal at the top. */
export type Act = (send: (client: RoomClient) => Promise<Ack<object>>) => Promise<boolean>;

export function useAct(client: RoomClient | null): { act: Act; error: string | null; setError: (e: string | null) => void } {
  const [error, setError] = useState<string | null>(null);
  const act = useCallback<Act>(
    async (send) => {
      if (!client) {
        return false;
      }
      setError(null);
      const r = await send(client);
      if (!r.ok) {
        setError(r.error.message);
      }
      return r.ok;
    },
    [client],
  );
  return { act, error, setError };
}
