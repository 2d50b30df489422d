import { useTranslation } from 'react-i18next';
import type { RoomSnapshot } from '../../../shared/room/events';
import { orderAgenda } from '../room/agenda-order';
import type { Act } from './use-act';

/** The chair's agenda: previous / next and "make current" on any item. */
export function ConsoleAgenda({ snapshot: s, act }: Readonly<{ snapshot: RoomSnapshot; act: Act }>) {
  const { t } = useTranslation();
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
    </section>
  );
}
