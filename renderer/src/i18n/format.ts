import { useTranslation } from 'react-i18next';

/** Dates and numbers follow the UI language (Intl), e.g. "08:30, 24/11/2026" vs "Nov 24, 2026, 8:30 AM". */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en-GB' : 'vi-VN';
  return {
    locale,
    dateTime: (iso: string) => {
      const d = new Date(iso);
      const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(d);
      const day = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(d);
      return `${time} · ${day}`;
    },
    date: (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(iso)),
    time: (d: Date) => new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(d),
    number: (n: number) => new Intl.NumberFormat(locale).format(n),
    percent: (n: number) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(n),
    bytes: (n: number) =>
      n >= 1024 * 1024
        ? `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(n / 1024 / 1024)} MB`
        : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(n / 1024)} KB`,
  };
}

/** mm:ss for timers and countdowns. */
export function clock(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
