import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PollView } from '../../../shared/room/events';

/**
 * Under the last result: it is published (closed polls reach every member and the hall display at
 * once), and the chair may repeat the vote as a NEW poll with a recorded reason (poll:reopen).
 */
export function ResultActions({ poll, onRevote }: Readonly<{ poll: PollView; onRevote: (reason: string) => Promise<boolean> }>) {
  const { t } = useTranslation();
  const id = useId();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  return (
    <div className="result-actions">
      <p className="published-note" role="status">
        <span aria-hidden="true">✓ </span>
        {t('chair.published')}
      </p>
      {asking ? (
        <form
          className="revote"
          onSubmit={(e) => {
            e.preventDefault();
            void onRevote(reason.trim()).then((ok) => {
              if (ok) {
                setAsking(false);
                setReason('');
              }
            });
          }}
        >
          <label className="field">
            <span>{t('chair.revoteReason')}</span>
            <input value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} aria-describedby={`${id}-hint`} />
          </label>
          <p id={`${id}-hint`} className="muted small">
            {t('chair.revoteHint')}
          </p>
          <div className="row">
            <button type="submit" className="btn btn-primary" disabled={!reason.trim()}>
              {t('chair.revoteSubmit')}
            </button>
            <button type="button" className="btn" onClick={() => setAsking(false)}>
              {t('prep.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <button type="button" className="btn" onClick={() => setAsking(true)} aria-label={`${t('chair.revote')}: ${poll.title}`}>
          ↻ {t('chair.revote')}
        </button>
      )}
    </div>
  );
}
