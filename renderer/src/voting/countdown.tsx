import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { clock } from '../i18n/format';

/** Time left until `closesAt` on the server's clock (offset from the snapshot). */
export function Countdown({ closesAt, offsetMs, className }: Readonly<{ closesAt: string; offsetMs: number; className?: string }>) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(id);
  }, []);
  const left = (Date.parse(closesAt) - (now + offsetMs)) / 1000;
  return (
    <span className={`countdown${left < 10 ? ' countdown-urgent' : ''} ${className ?? ''}`} role="timer" aria-label={t('vote.timeLeft')}>
      {clock(left)}
    </span>
  );
}
