import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Council } from '../../../shared/api/meetings';
import type { NonWorkingDayList } from '../../../shared/api/non-working-days';
import { calendarEndpoints } from '../api/calendar-endpoints';
import { endpoints } from '../api/endpoints';
import { ErrorNote } from '../components/error-note';
import { useFormat } from '../i18n/format';

/**
 * Council settings: the non-working days its deadlines skip (the conclusion notice's 5 working days).
 * The fixed solar holidays are shown as always off; Tết and Giỗ Tổ follow the lunar calendar, so the
 * secretariat enters them year by year, one date or a range of consecutive dates at a time.
 */
export function NonWorkingDaysPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const headingId = useId();
  const [councils, setCouncils] = useState<Council[]>([]);
  const [councilId, setCouncilId] = useState('');
  const [year, setYear] = useState(() => new Date().getFullYear());
  const [list, setList] = useState<NonWorkingDayList | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    endpoints
      .councils()
      .then((r) => {
        setCouncils(r.councils);
        setCouncilId((c) => c || (r.councils[0]?.id ?? ''));
      })
      .catch(setError);
  }, []);
  const load = useCallback(() => {
    if (councilId) {
      calendarEndpoints.list(councilId, year).then(setList, setError);
    }
  }, [councilId, year]);
  useEffect(load, [load]);

  const dayLabel = (date: string) => new Intl.DateTimeFormat(f.locale, { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));

  async function run(action: () => Promise<NonWorkingDayList>, done: string) {
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      await action();
      setNote(done);
      load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  function add() {
    // A range (Tết is several days) is sent as one request: the server takes all of it or none.
    const days: { date: string; name: string }[] = [];
    const last = to || from;
    for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= last && days.length <= 100; d.setUTCDate(d.getUTCDate() + 1)) {
      days.push({ date: d.toISOString().slice(0, 10), name });
    }
    void run(() => calendarEndpoints.add(councilId, { days }), t('calendar.added', { count: days.length }));
  }

  if (councils.length === 0) {
    return error ? <ErrorNote error={error} /> : null;
  }
  return (
    <section className="panel calendar-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('calendar.title')}</h2>
      <p className="muted small">{t('calendar.explain')}</p>
      <div className="row">
        <label className="field">
          {t('secretariat.council')}{' '}
          <select value={councilId} onChange={(e) => setCouncilId(e.target.value)}>
            {councils.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t('calendar.year')}{' '}
          <input type="number" min={2000} max={2099} value={year} onChange={(e) => setYear(Number(e.target.value) || year)} />
        </label>
      </div>
      <h3>{t('calendar.fixed')}</h3>
      <ul className="plain-list">
        {(list?.fixed ?? []).map((h) => (
          <li key={h.key}>
            <span>{dayLabel(`${year}-${String(h.month).padStart(2, '0')}-${String(h.day).padStart(2, '0')}`)}</span>
            <span className="muted small">{t(`calendar.holiday.${h.key}`)}</span>
          </li>
        ))}
      </ul>
      <h3>{t('calendar.own', { year })}</h3>
      {list && list.days.length === 0 && <p className="muted">{t('calendar.none')}</p>}
      <ul className="plain-list" aria-label={t('calendar.own', { year })}>
        {(list?.days ?? []).map((d) => (
          <li key={d.date}>
            <span>{dayLabel(d.date)}</span>
            <span className="muted small">{d.name}</span>
            {list?.canEdit && (
              <button
                type="button"
                className="btn btn-small"
                disabled={busy}
                aria-label={t('calendar.removeDay', { date: d.date })}
                onClick={() => void run(() => calendarEndpoints.remove(councilId, d.date), t('calendar.removed'))}
              >
                {t('calendar.remove')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {list?.canEdit && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            add();
          }}
        >
          <label className="field">
            {t('calendar.from')} <input type="date" required value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label className="field">
            {t('calendar.to')} <input type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} />
          </label>
          <label className="field">
            {t('calendar.name')} <input value={name} maxLength={200} placeholder={t('calendar.namePlaceholder')} onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="submit" className="btn" disabled={busy || !from}>
            {t('calendar.add')}
          </button>
        </form>
      )}
      <p role="status" aria-live="polite">
        {note}
      </p>
      <ErrorNote error={error} />
    </section>
  );
}
