/**
 * How the minutes write times and numbers: always in the council's time zone (councils.time_zone,
 * never the server's), and in the language's own number format (Vietnamese: 40,00 %; 1.234).
 * Pure, so a unit test can run it under another TZ than the council's.
 */
export interface MinutesFormat {
  /** "08 giờ 30 phút, ngày 01/12/2026 (GMT+7)" / "08:30 on 1 December 2026 (GMT+7)". */
  dateTime(d: Date): string;
  /** "08:30" in the council's zone. */
  time(d: Date): string;
  /** "01/12/2026" / "1 December 2026". */
  date(d: Date): string;
  /** "40,00 %" / "40.00%" (two decimals). */
  percent(n: number): string;
  /** Whole numbers with the language's grouping ("1.234" / "1,234"). */
  count(n: number): string;
}

function parts(d: Date, timeZone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'timeZoneName', string> {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'shortOffset',
  });
  const out = { year: '', month: '', day: '', hour: '', minute: '', timeZoneName: '' };
  for (const p of f.formatToParts(d)) {
    if (p.type in out) {
      out[p.type as keyof typeof out] = p.value;
    }
  }
  // "GMT" alone means UTC+0: say so.
  out.timeZoneName = out.timeZoneName === 'GMT' ? 'GMT+0' : out.timeZoneName;
  return out;
}

export function minutesFormat(lang: 'vi' | 'en', timeZone: string): MinutesFormat {
  const decimals = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const whole = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 0 });
  const longDate = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'long', year: 'numeric' });
  const date = (d: Date) => {
    if (lang === 'en') {
      return longDate.format(d);
    }
    const p = parts(d, timeZone);
    return `${p.day}/${p.month}/${p.year}`;
  };
  return {
    dateTime(d) {
      const p = parts(d, timeZone);
      return lang === 'vi' ? `${p.hour} giờ ${p.minute} phút, ngày ${date(d)} (${p.timeZoneName})` : `${p.hour}:${p.minute} on ${date(d)} (${p.timeZoneName})`;
    },
    time(d) {
      const p = parts(d, timeZone);
      return `${p.hour}:${p.minute}`;
    },
    date,
    percent(n) {
      return lang === 'vi' ? `${decimals.format(n)} %` : `${decimals.format(n)}%`;
    },
    count(n) {
      return whole.format(n);
    },
  };
}
