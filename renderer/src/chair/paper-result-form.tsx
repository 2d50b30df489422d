import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PollView } from '../../../shared/room/events';
import type { RoomClient } from '../../../shared/room/client';
import { optionLabel } from '../voting/labels';

type Figures = { issued: string; returned: string; invalid: string; note: string; counts: Record<string, string> };

const asCount = (s: string): number | null => (/^\d{1,7}$/.test(s.trim()) ? Number(s.trim()) : null);

/**
 * Paper ballots (secret personnel elections counted in the hall): the secretariat types the counting
 * committee's figures for a prepared poll. The same checks as the server's, in the user's language,
 * before anything is sent; the server checks again and its answer is shown if it still refuses.
 */
export function PaperResultForm({ poll, client, disabled }: Readonly<{ poll: PollView; client: RoomClient | null; disabled: boolean }>) {
  const { t } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [f, setF] = useState<Figures>({ issued: '', returned: '', invalid: '0', note: '', counts: {} });
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const check = (): { issued: number; returned: number; invalid: number; counts: Record<string, number> } | string => {
    const issued = asCount(f.issued);
    const returned = asCount(f.returned);
    const invalid = asCount(f.invalid);
    if (issued === null || returned === null || invalid === null) {
      return t('paper.errors.whole');
    }
    if (returned > issued) {
      return t('paper.errors.returned');
    }
    if (invalid > returned) {
      return t('paper.errors.invalid');
    }
    const counts: Record<string, number> = {};
    for (const o of poll.options) {
      const n = asCount(f.counts[o.id] ?? '0');
      if (n === null) {
        return t('paper.errors.whole');
      }
      counts[o.id] = n;
    }
    const valid = returned - invalid;
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    if (poll.kind === 'yes_no_abstain' && total !== valid) {
      return t('paper.errors.sum', { total, valid });
    }
    if (poll.kind === 'election' && (Object.values(counts).some((n) => n > valid) || total > valid * poll.maxChoices)) {
      return t('paper.errors.election', { valid, seats: poll.maxChoices });
    }
    return { issued, returned, invalid, counts };
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const figures = check();
    if (typeof figures === 'string') {
      setProblem(figures);
      return;
    }
    if (!client) {
      setProblem(t('paper.errors.offline'));
      return;
    }
    setBusy(true);
    const res = await client.request('poll:paper', { meetingId: poll.meetingId, pollId: poll.pollId, ...figures, note: f.note.trim() || undefined });
    setBusy(false);
    if (res.ok) {
      setOpen(false);
      setProblem(null);
    } else {
      setProblem(t('paper.errors.server', { message: res.error.message }));
    }
  };

  if (!open) {
    return (
      <button type="button" className="btn" disabled={disabled} onClick={() => setOpen(true)} aria-label={t('paper.enterFor', { title: poll.title })}>
        {t('paper.enter')}
      </button>
    );
  }
  const num = (key: 'issued' | 'returned' | 'invalid') => (
    <label className="field field-inline">
      <span>{t(`paper.${key}`)}</span>
      <input inputMode="numeric" value={f[key]} onChange={(e) => setF({ ...f, [key]: e.target.value })} required />
    </label>
  );
  return (
    <form className="paper-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${id}-h`}>
      <h4 id={`${id}-h`}>{t('paper.title', { title: poll.title })}</h4>
      <div className="paper-figures">
        {num('issued')}
        {num('returned')}
        {num('invalid')}
      </div>
      <fieldset className="paper-counts">
        <legend>{t('paper.counts')}</legend>
        {poll.options.map((o) => (
          <label key={o.id} className="field field-inline">
            <span>{optionLabel(t, poll, o.id)}</span>
            <input inputMode="numeric" value={f.counts[o.id] ?? ''} onChange={(e) => setF({ ...f, counts: { ...f.counts, [o.id]: e.target.value } })} />
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>{t('paper.note')}</span>
        <textarea value={f.note} maxLength={1000} rows={2} onChange={(e) => setF({ ...f, note: e.target.value })} />
      </label>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('paper.save')}
        </button>
        <button type="button" className="btn" onClick={() => setOpen(false)}>
          {t('prep.cancel')}
        </button>
      </div>
    </form>
  );
}
