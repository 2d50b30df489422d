import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MajorityBase } from '../../../shared/domain/majority';
import { ruleText } from '../voting/rule';
import { draftProblems, toSettings, type DraftForm, type DraftSettings, type ThresholdChoice } from './poll-draft';

/**
 * The prepared-poll editor: kind, candidates, named or secret, majority rule, correction,
 * countdown and hidden tally. Every control has a visible label; radio groups are fieldsets.
 */
export function PollForm({
  initial,
  heading,
  busy,
  onSave,
  onCancel,
}: Readonly<{ initial: DraftForm; heading: string; busy: boolean; onSave: (s: DraftSettings) => void; onCancel: () => void }>) {
  const { t } = useTranslation();
  const id = useId();
  const [d, setD] = useState<DraftForm>(initial);
  const [tried, setTried] = useState(false);
  const set = <K extends keyof DraftForm>(k: K, v: DraftForm[K]) => setD((x) => ({ ...x, [k]: v }));
  const problems = draftProblems(d);
  const settings = problems.length === 0 ? toSettings(d) : null;
  const previewRule =
    d.threshold === 'custom'
      ? { num: d.customNum, den: d.customDen, strict: d.customStrict }
      : d.threshold === 'gt_half'
        ? { num: 1, den: 2, strict: true }
        : { num: 2, den: 3, strict: false };

  return (
    <form
      className="poll-form"
      aria-labelledby={`${id}-h`}
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (settings) {
          onSave(settings);
        }
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          onCancel();
        }
      }}
    >
      <h4 id={`${id}-h`}>{heading}</h4>
      <label className="field">
        <span>{t('prep.question')}</span>
        <input value={d.title} onChange={(e) => set('title', e.target.value)} required autoFocus aria-invalid={tried && problems.includes('title')} />
      </label>

      <div className="poll-form-grid">
        <fieldset className="choice-group">
          <legend>{t('prep.kind')}</legend>
          {(['yes_no_abstain', 'election'] as const).map((k) => (
            <label key={k} className="check">
              <input type="radio" name={`${id}-kind`} checked={d.kind === k} onChange={() => set('kind', k)} />
              <span>{t(`prep.kinds.${k}`)}</span>
            </label>
          ))}
        </fieldset>
        <fieldset className="choice-group">
          <legend>{t('prep.ballot')}</legend>
          <label className="check">
            <input type="radio" name={`${id}-secret`} checked={!d.secret} onChange={() => set('secret', false)} />
            <span>{t('prep.named')}</span>
          </label>
          <label className="check">
            <input type="radio" name={`${id}-secret`} checked={d.secret} onChange={() => setD((x) => ({ ...x, secret: true, correction: 'final' }))} />
            <span>{t('prep.secret')}</span>
          </label>
        </fieldset>
      </div>

      {d.kind === 'election' && (
        <div className="poll-form-grid">
          <label className="field">
            <span>{t('prep.candidates')}</span>
            <textarea rows={4} value={d.candidates} onChange={(e) => set('candidates', e.target.value)} aria-invalid={tried && (problems.includes('candidates') || problems.includes('duplicates'))} />
          </label>
          <label className="field">
            <span>{t('prep.maxChoices')}</span>
            <input type="number" min={1} max={200} value={d.maxChoices} onChange={(e) => set('maxChoices', Number(e.target.value))} aria-invalid={tried && problems.includes('maxChoices')} />
          </label>
        </div>
      )}

      <div className="poll-form-grid">
        <label className="field">
          <span>{t('prep.base')}</span>
          <select value={d.base} onChange={(e) => set('base', e.target.value as MajorityBase)}>
            <option value="all">{t('prep.bases.all')}</option>
            <option value="present">{t('prep.bases.present')}</option>
            <option value="cast">{t('prep.bases.cast')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('prep.threshold')}</span>
          <select value={d.threshold} onChange={(e) => set('threshold', e.target.value as ThresholdChoice)}>
            <option value="gt_half">{t('rule.threshold.gt_half')}</option>
            <option value="ge_two_thirds">{t('rule.threshold.ge_two_thirds')}</option>
            <option value="custom">{t('rule.threshold.custom')}</option>
          </select>
        </label>
      </div>
      {d.threshold === 'custom' && (
        <div className="row custom-fraction">
          <label className="field">
            <span>{t('prep.customNum')}</span>
            <input type="number" min={1} max={1000} value={d.customNum} onChange={(e) => set('customNum', Number(e.target.value))} aria-invalid={tried && problems.includes('fraction')} />
          </label>
          <label className="field">
            <span>{t('prep.customDen')}</span>
            <input type="number" min={1} max={1000} value={d.customDen} onChange={(e) => set('customDen', Number(e.target.value))} aria-invalid={tried && problems.includes('fraction')} />
          </label>
          <label className="check">
            <input type="checkbox" checked={d.customStrict} onChange={(e) => set('customStrict', e.target.checked)} />
            <span>{t('prep.customStrict')}</span>
          </label>
        </div>
      )}
      <p className="rule-preview" aria-live="polite">
        {ruleText(t, { kind: d.kind, base: d.base, threshold: previewRule })}
      </p>

      <div className="poll-form-grid">
        <fieldset className="choice-group">
          <legend>{t('prep.correction')}</legend>
          {(['change_until_close', 'final'] as const).map((c) => (
            <label key={c} className="check">
              <input type="radio" name={`${id}-corr`} checked={(d.secret ? 'final' : d.correction) === c} disabled={d.secret} onChange={() => set('correction', c)} />
              <span>{t(`prep.corrections.${c}`)}</span>
            </label>
          ))}
          {d.secret && <p className="muted small">{t('prep.secretFinal')}</p>}
        </fieldset>
        <fieldset className="choice-group">
          <legend>{t('prep.options')}</legend>
          <label className="check">
            <input type="checkbox" checked={d.countdown} onChange={(e) => set('countdown', e.target.checked)} />
            <span>{t('prep.countdown')}</span>
          </label>
          {d.countdown && (
            <label className="field field-inline-number">
              <span>{t('prep.minutes')}</span>
              <input type="number" min={0.5} max={1440} step={0.5} value={d.minutes} onChange={(e) => set('minutes', Number(e.target.value))} aria-invalid={tried && problems.includes('minutes')} />
            </label>
          )}
          <label className="check">
            <input type="checkbox" checked={d.hideTally} onChange={(e) => set('hideTally', e.target.checked)} />
            <span>{t('prep.hideTally')}</span>
          </label>
        </fieldset>
      </div>

      {tried && problems.length > 0 && (
        <ul className="form-error form-problems" role="alert">
          {problems.map((p) => (
            <li key={p}>{t(`prep.errors.${p}`)}</li>
          ))}
        </ul>
      )}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('prep.save')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t('prep.cancel')}
        </button>
      </div>
    </form>
  );
}
