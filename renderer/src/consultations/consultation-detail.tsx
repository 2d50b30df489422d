import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Consultation, ConsultationChoice } from '../../../shared/api/consultations';
import { consultEndpoints } from '../api/consult-endpoints';
import { absoluteUrl, currentToken } from '../api/http';
import { ErrorNote } from '../components/error-note';
import { useFormat } from '../i18n/format';

const CHOICES: ConsultationChoice[] = ['agree', 'disagree', 'other'];

async function openPdf(path: string): Promise<void> {
  // Documents need the bearer token, so fetch and open the bytes rather than linking.
  const res = await fetch(absoluteUrl(path), { headers: { authorization: `Bearer ${currentToken() ?? ''}` } });
  const blob = await res.blob();
  window.open(URL.createObjectURL(blob), '_blank', 'noopener');
}

/** One consultation: members answer; the secretariat sees who answered, closes and opens the report. */
export function ConsultationDetail({ id }: Readonly<{ id: string }>) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const [c, setC] = useState<Consultation | null>(null);
  const [choice, setChoice] = useState<ConsultationChoice>('agree');
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    consultEndpoints.consultation(id).then(setC).catch(setError);
  }, [id]);
  useEffect(load, [load]);
  if (!c) {
    return error ? <ErrorNote error={error} /> : <p className="muted">{t('common.loading')}</p>;
  }
  const canAnswer = c.isMember && !c.myAnswer && c.status === 'open';
  return (
    <section className="panel" aria-labelledby="c-h">
      <h2 id="c-h">{c.title}</h2>
      <p className="chip">{t(`consultations.status.${c.status}`)}</p>
      <p>{c.question}</p>
      <p>
        {t('consultations.deadline')}: {f.dateTime(c.deadline)}
      </p>
      {c.documents.length > 0 && (
        <ul className="plain-list">
          {c.documents.map((d) => (
            <li key={d.id}>
              <button type="button" className="btn btn-link" onClick={() => void openPdf(d.url)}>
                {d.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      {c.myAnswer && (
        <p role="status" data-testid="my-answer">
          {t('consultations.myAnswer')}: {t(`consultations.choice.${c.myAnswer.choice}`)}
          {c.myAnswer.comment ? ` — ${c.myAnswer.comment}` : ''}
        </p>
      )}
      {canAnswer && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (choice === 'other' && comment.trim().length === 0) {
              setMissing(true);
              return;
            }
            setMissing(false);
            setError(null);
            consultEndpoints.answer(c.id, { choice, comment }).then(setC).catch(setError);
          }}
        >
          <fieldset>
            <legend>{t('consultations.yourAnswer')}</legend>
            {CHOICES.map((ch) => (
              <label key={ch} className="row">
                <input type="radio" name="choice" value={ch} checked={choice === ch} onChange={() => setChoice(ch)} />
                <span>{t(`consultations.choice.${ch}`)}</span>
              </label>
            ))}
          </fieldset>
          {choice === 'other' && (
            <label>
              {t('consultations.comment')}
              <textarea value={comment} maxLength={2000} onChange={(e) => setComment(e.target.value)} />
              <span className="muted small">{t('consultations.commentLimit')}</span>
            </label>
          )}
          {missing && (
            <p className="form-error" role="alert">
              {t('consultations.commentRequired')}
            </p>
          )}
          <button type="submit" className="btn btn-primary">
            {t('consultations.send')}
          </button>
        </form>
      )}
      <ErrorNote error={error} />
      {c.canManage && (
        <>
          <p data-testid="answered-count">{t('consultations.answered', { answered: c.answeredCount, total: c.memberCount })}</p>
          <ul className="plain-list">
            {c.members.map((m) => (
              <li key={m.userId}>
                <span>{m.displayName}</span>
                <span className="muted small">{m.answer ? t(`consultations.choice.${m.answer.choice}`) : t('consultations.noAnswer')}</span>
              </li>
            ))}
          </ul>
          {c.status === 'open' && (
            <button
              type="button"
              className="btn"
              onClick={() => {
                setError(null);
                consultEndpoints
                  .close(c.id, i18n.language === 'en' ? 'en' : 'vi')
                  .then(setC)
                  .catch(setError);
              }}
            >
              {t('consultations.close')}
            </button>
          )}
        </>
      )}
      {c.tally && c.status === 'closed' && (
        <p data-testid="tally">
          {CHOICES.map((ch) => `${t(`consultations.choice.${ch}`)}: ${c.tally?.[ch] ?? 0}`).join(' · ')} · {t('consultations.noAnswer')}: {c.tally.none}
        </p>
      )}
      {c.reportUrl && (
        <button type="button" className="btn" data-testid="report" onClick={() => void openPdf(c.reportUrl ?? '')}>
          {t('consultations.report')}
        </button>
      )}
    </section>
  );
}
