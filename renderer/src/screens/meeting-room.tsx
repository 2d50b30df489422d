import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingDetail } from '../../../shared/api/meetings';
import type { DocumentMeta } from '../../../shared/api/documents';
import { endpoints } from '../api/endpoints';
import { absoluteUrl } from '../api/http';
import { ErrorNote } from '../components/error-note';
import { useFormat } from '../i18n/format';
import { PdfReader, type ReaderDocument } from '../reader/pdf-reader';
import { warmPdfWorker } from '../reader/pdf';
import { AgendaSidebar } from '../room/agenda-sidebar';
import { CheckInPanel } from '../room/check-in-panel';
import { SpeakersPanel } from '../room/speakers-panel';
import { useRoom } from '../room/use-room';
import { navigate } from '../router';
import { useSession } from '../session';
import type { PollView } from '../../../shared/room/events';
import { VotePanel } from '../voting/vote-panel';
import { platform } from '../platform';
import { SignatureBadge } from '../signatures/signature-badge';
import { MinutesPanel } from '../minutes/minutes-panel';
import { SpeechesPanel } from '../minutes/speeches-panel';
import { NotificationPermissionButton } from '../notifications/permission-button';
import { useDocumentWatch } from '../notifications/use-document-watch';
import { useRoomNotifications } from '../notifications/use-room-notifications';

function DocumentList({ docs, onOpen }: Readonly<{ docs: DocumentMeta[]; onOpen: (d: DocumentMeta) => void }>) {
  const { t } = useTranslation();
  const f = useFormat();
  if (docs.length === 0) {
    return <p className="muted">{t('room.noDocuments')}</p>;
  }
  return (
    <ul className="doc-list">
      {docs.map((d) => (
        <li key={d.id} className="doc-row">
          {/* The name is the visible text plus a hidden verb ("Mở tài liệu …"): the accessible name contains
              what is on screen (speech input users say what they see). */}
          <button type="button" className="doc-card" onClick={() => onOpen(d)}>
            <span className="doc-icon" aria-hidden="true">
              PDF
            </span>
            <span className="doc-main">
              <span className="doc-name">
                <span className="visually-hidden">{t('ui.openDocumentVerb')} </span>
                {d.name}
              </span>
              <span className="muted small">
                {t('room.pages', { count: d.pages })} · {f.bytes(d.size)}
              </span>
            </span>
            {d.confidentiality !== 'internal' && <span className={`chip chip-${d.confidentiality}`}>{t(`confidentiality.${d.confidentiality}`)}</span>}
          </button>
          <SignatureBadge documentId={d.id} sha256={d.sha256} name={d.name} />
        </li>
      ))}
    </ul>
  );
}

/** The delegate's meeting room: agenda following the chair, documents, reader, live panels. */
export function MeetingRoomScreen({ meetingId }: Readonly<{ meetingId: string }>) {
  const { t } = useTranslation();
  const f = useFormat();
  const { session } = useSession();
  const [detail, setDetail] = useState<MeetingDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const [follow, setFollow] = useState(true);
  const [reading, setReading] = useState<ReaderDocument | null>(null);
  const room = useRoom(meetingId, session?.token ?? null);
  const snap = room.snapshot;
  // Re-read periodically: new documents and signed minutes arrive without a reload, and notify.
  const manifest = useDocumentWatch(meetingId, room.client);
  const urls = useMemo(() => Object.fromEntries((manifest?.documents ?? []).map((d) => [d.id, absoluteUrl(d.url)])), [manifest]);
  useRoomNotifications(snap, manifest?.documents ?? null);

  useEffect(() => {
    warmPdfWorker();
  }, []);
  useEffect(() => {
    endpoints.meeting(meetingId).then(setDetail).catch(setError);
  }, [meetingId, manifest]);

  const currentItemId = snap?.meeting.currentItemId ?? detail?.currentItemId ?? null;
  // Before the chair starts, show the first item so the papers can be read in advance.
  const firstId = detail?.agenda[0]?.id ?? null;
  const selectedId = follow ? (currentItemId ?? picked ?? firstId) : (picked ?? firstId);
  const flat = useMemo(() => {
    const out: NonNullable<typeof detail>['agenda'] = [];
    const walk = (items: NonNullable<typeof detail>['agenda']) => {
      for (const i of items) {
        out.push(i);
        walk(i.children);
      }
    };
    walk(detail?.agenda ?? []);
    return out;
  }, [detail]);
  const selected = flat.find((i) => i.id === selectedId) ?? null;
  const docs = detail?.documents ?? [];
  const itemDocs = selected ? docs.filter((d) => d.agendaItemId === selected.id) : [];
  const generalDocs = docs.filter((d) => d.agendaItemId === null);
  const mine = snap?.openPoll ? snap.myBallots.find((b) => b.pollId === snap.openPoll?.pollId) : undefined;
  const lastClosed = snap ? [...snap.polls].reverse().find((p) => p.status === 'closed' && p.result) : undefined;

  function open(d: DocumentMeta) {
    setReading({
      meetingId,
      id: d.id,
      name: d.name,
      sha256: d.sha256,
      size: d.size,
      url: urls[d.id] ?? absoluteUrl(`/api/documents/${d.id}/content`),
      confidentiality: d.confidentiality,
    });
  }

  if (error) {
    return (
      <main className="page">
        <ErrorNote error={error} />
      </main>
    );
  }
  if (!detail) {
    return (
      <main className="page">
        <p className="muted">{t('common.loading')}</p>
      </main>
    );
  }

  return (
    <main className="room" id="main">
      <div className="room-head">
        <div>
          <h1>{detail.title}</h1>
          <p className="muted">
            {f.dateTime(detail.startsAt)} · {detail.location}
          </p>
        </div>
        <div className="room-head-actions">
          <span className={`chip chip-status-${snap?.meeting.status ?? detail.status}`}>{t(`status.${snap?.meeting.status ?? detail.status}`)}</span>
          {snap?.meeting.paused && <span className="chip chip-warn">{t('room.paused')}</span>}
          <NotificationPermissionButton />
          {snap?.me.canRunRoom && (
            <button type="button" className="btn" onClick={() => navigate(`/meetings/${meetingId}/chair`)}>
              {t('meetings.console')}
            </button>
          )}
        </div>
      </div>
      {room.error && (
        <p className="form-error" role="alert">
          {t('room.liveError')}
        </p>
      )}
      <div className={`room-grid${reading ? ' room-reading' : ''}`}>
        <AgendaSidebar
          agenda={detail.agenda}
          currentItemId={currentItemId}
          selectedId={selectedId}
          onSelect={(id) => {
            setPicked(id);
            setFollow(id === currentItemId);
            setReading(null);
          }}
        />
        <div className="room-main">
          {reading ? (
            <PdfReader key={reading.id} document={reading} readerName={session?.user.displayName ?? ''} onClose={() => setReading(null)} />
          ) : (
            <>
              <div className="item-head">
                <h2>{selected ? selected.title : t('room.noCurrentItem')}</h2>
                <label className="follow">
                  <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
                  <span>{t('room.follow')}</span>
                </label>
              </div>
              {selected?.presenter && <p className="muted">{t('room.presenter', { name: selected.presenter })}</p>}
              {selected?.description && <p>{selected.description}</p>}
              {selected && (
                <section aria-label={t('room.itemDocuments')}>
                  <h3>{t('room.itemDocuments')}</h3>
                  <DocumentList docs={itemDocs} onOpen={open} />
                </section>
              )}
              {generalDocs.length > 0 && (
                <section aria-label={t('room.generalDocuments')}>
                  <h3>{t('room.generalDocuments')}</h3>
                  <DocumentList docs={generalDocs} onOpen={open} />
                </section>
              )}
              {(detail.myRole === 'chair' || detail.myRole === 'secretary') && ['in_progress', 'closed'].includes(snap?.meeting.status ?? detail.status) && (
                <SpeechesPanel
                  meetingId={meetingId}
                  members={detail.members}
                  agenda={flat}
                  refreshKey={(snap?.speakers ?? []).map((x) => `${x.requestId}:${x.status}`).join(',')}
                />
              )}
              {(detail.myRole === 'chair' || detail.myRole === 'secretary') && (
                <MinutesPanel
                  meetingId={meetingId}
                  status={snap?.meeting.status ?? detail.status}
                  myRole={detail.myRole}
                  onOpen={open}
                  onChanged={() => void endpoints.meeting(meetingId).then(setDetail)}
                />
              )}
            </>
          )}
        </div>
        <aside className="room-side" aria-label={t('room.live')}>
          {snap && (snap.openPoll ?? lastClosed) && (
            // The latest closed poll stays in place: the "closed" message and its result replace the buttons.
            <VotePanel
              key={(snap.openPoll ?? lastClosed)?.pollId}
              poll={(snap.openPoll ?? lastClosed) as PollView}
              mine={mine}
              canVote={snap.me.canVote}
              client={room.client}
              clockOffsetMs={room.clockOffsetMs}
              signedBallots={detail?.requireSignedBallots}
              signing={platform.signing}
            />
          )}
          {snap && <CheckInPanel snapshot={snap} client={room.client} />}
          {snap && <SpeakersPanel snapshot={snap} client={room.client} offsetMs={room.clockOffsetMs} />}
          {!snap && !room.error && <p className="muted">{t('room.connecting')}</p>}
        </aside>
      </div>
    </main>
  );
}
