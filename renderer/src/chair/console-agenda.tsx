import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomSnapshot } from '../../../shared/room/events';
import { ConclusionField } from '../minutes/conclusion-field';
import { orderAgenda } from '../room/agenda-order';
import type { Act } from './use-act';

/**
 * The chair's agenda: previous / next and "make current" on any item; once the meeting runs (and after
 * it closed), the chair's conclusion on the current item, or on any item picked.
 */
export function ConsoleAgenda({ snapshot: s, act }: Readonly<{ snapshot: RoomSnapshot; act: Act }>) {
  const { t } = useTranslation();
  const pickId = useId();
  const [picked, setPicked] = useState<string | null>(null);
  const meetingId = s.meeting.meetingId;
  const agenda = orderAgenda(s.agenda).map((x) => ({ ...x.item, depth: x.depth }));
  const idx = agenda.findIndex((a) => a.id === s.meeting.currentItemId);
  const setCurrent = (itemId: string | null) => void act((c) => c.request('agenda:setCurrent', { meetingId, itemId }));
  return (
    <section className="panel" aria-labelledby="c-agenda">
      <h2 id="c-agenda">{t('room.agenda')}</h2>
      <div className="row">
        <button type="button" className="btn" disabled={idx <= 0} onClick={() => setCurrent(agenda[idx - 1]?.id ?? null)}>
          ← {t('chair.prevItem')}
        </button>
        <button type="button" className="btn btn-primary" disabled={idx >= agenda.length - 1} onClick={() => setCurrent(agenda[idx + 1]?.id ?? null)}>
          {t('chair.nextItem')} →
        </button>
      </div>
      <ol className="console-agenda">
        {agenda.map((a) => (
          <li key={a.id} className={`depth-${Math.min(a.depth, 3)}${a.id === s.meeting.currentItemId ? ' agenda-current' : ''}`}>
            <span>{a.title}</span>
            {a.id === s.meeting.currentItemId ? (
              <span className="chip chip-live">{t('room.now')}</span>
            ) : (
              <button type="button" className="btn btn-small" onClick={() => setCurrent(a.id)} aria-label={t('chair.makeCurrent', { title: a.title })}>
                {t('chair.makeCurrentShort')}
              </button>
            )}
          </li>
        ))}
      </ol>
      {(s.meeting.status === 'in_progress' || s.meeting.status === 'closed') && agenda.length > 0 && (
        <ConclusionPicker agenda={agenda} meetingId={meetingId} pickId={pickId} concludeId={picked ?? s.meeting.currentItemId ?? agenda[0]?.id ?? null} onPick={setPicked} />
      )}
    </section>
  );
}

function ConclusionPicker({
  agenda,
  meetingId,
  pickId,
  concludeId,
  onPick,
}: Readonly<{ agenda: readonly { id: string; title: string }[]; meetingId: string; pickId: string; concludeId: string | null; onPick: (id: string) => void }>) {
  const { t } = useTranslation();
  const item = agenda.find((a) => a.id === concludeId);
  return (
    <div className="console-conclusion">
      <h3>{t('record.conclusionTitle')}</h3>
      <label className="field" htmlFor={pickId}>
        <span>{t('record.conclusionItem')}</span>
      </label>
      <select id={pickId} value={concludeId ?? ''} onChange={(e) => onPick(e.target.value)}>
        {agenda.map((a) => (
          <option key={a.id} value={a.id}>
            {a.title}
          </option>
        ))}
      </select>
      {item && <ConclusionField key={item.id} meetingId={meetingId} itemId={item.id} title={item.title} />}
    </div>
  );
}
