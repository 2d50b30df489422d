import { useEffect, useState } from 'react';
import { clock } from '../i18n/format';

/** Elapsed (or remaining, with a limit) speaking time on the server's clock. */
export function SpeakerTimer({ startedAt, limitSeconds, offsetMs }: Readonly<{ startedAt: string; limitSeconds: number | null; offsetMs: number }>) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(id);
  }, []);
  const elapsed = (now + offsetMs - Date.parse(startedAt)) / 1000;
  const over = limitSeconds !== null && elapsed > limitSeconds;
  return (
    <span className={`timer${over ? ' timer-over' : ''}`} role="timer">
      {limitSeconds !== null ? `${clock(elapsed)} / ${clock(limitSeconds)}` : clock(elapsed)}
    </span>
  );
}
