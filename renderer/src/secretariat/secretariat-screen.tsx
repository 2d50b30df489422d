import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingDetail, MeetingStatus, MeetingSummary } from '../../../shared/api/meetings';
import { endpoints } from '../api/endpoints';
import { ErrorNote } from '../components/error-note';
import { useFormat } from '../i18n/format';
import { navigate } from '../router';
import { AgendaBuilder } from './agenda-builder';
import { MembersPanel } from './members-panel';
import { InvitationsPanel } from './invitations-panel';
import { ExportLinks } from '../exports/export-links';
import { PollPrep } from './poll-prep';
import { Uploader } from './uploader';

function CreateMeetingForm() {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [location, setLocation] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit() {
    setBusy(true);
    setError(null);
    try {
      const created = await endpoints.createMeeting({
        title: title.trim(),
        body: body.trim(),
        location: location.trim(),
        startsAt: new Date(startsAt).toISOString(),
      });
      navigate(`/secretariat/${created.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form
      className="panel create-meeting"
      aria-labelledby="create-h"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="create-h">{t('secretariat.create')}</h2>
      <label className="field">
        <span>{t('secretariat.meetingTitle')}</span>
        <input value={title} onChange={(e) => setTitle(e.target.value)} required />
      </label>
      <label className="field">
        <span>{t('secretariat.body')}</span>
        <input value={body} onChange={(e) => setBody(e.target.value)} required />
      </label>
      <div className="row">
        <label className="field">
          <span>{t('secretariat.location')}</span>
          <input value={location} onChange={(e) => setLocation(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('secretariat.startsAt')}</span>
          <input type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} required />
        </label>
      </div>
      <ErrorNote error={error} />
      <button type="submit" className="btn btn-primary" disabled={busy || !title.trim() || !body.trim() || !startsAt}>
        {t('secretariat.createButton')}
      </button>
    </form>
  );
}

const NEXT: Partial<Record<MeetingStatus, MeetingStatus>> = { draft: 'published' };

function MeetingEditor({ meetingId }: Readonly<{ meetingId: string }>) {
  const { t } = useTranslation();
  const f = useFormat();
  const [m, setM] = useState<MeetingDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    endpoints.meeting(meetingId).then(setM).catch(setError);
  }, [meetingId]);
  useEffect(load, [load]);
  if (!m) {
    return error ? <ErrorNote error={error} /> : <p className="muted">{t('common.loading')}</p>;
  }
  const next = NEXT[m.status];
  return (
    <>
      <div className="room-head">
        <div>
          <p>
            <a
              href="/secretariat"
              onClick={(e) => {
                e.preventDefault();
                navigate('/secretariat');
              }}
            >
              ← {t('secretariat.back')}
            </a>
          </p>
          <h1>{m.title}</h1>
          <p className="muted">
            {f.dateTime(m.startsAt)} · {m.location}
          </p>
        </div>
        <div className="room-head-actions">
          <span className={`chip chip-status-${m.status}`}>{t(`status.${m.status}`)}</span>
          {next && (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => {
                endpoints.setStatus(meetingId, next).then(load).catch(setError);
              }}
            >
              {t('secretariat.publish')}
            </button>
          )}
        </div>
      </div>
      <ErrorNote error={error} />
      <div className="workspace-grid">
        <AgendaBuilder meetingId={meetingId} agenda={m.agenda} onChanged={load} />
        <div className="workspace-col">
          <Uploader meetingId={meetingId} agenda={m.agenda} onUploaded={load} />
          <section className="panel" aria-labelledby="docs-h">
            <h2 id="docs-h">{t('secretariat.documents')}</h2>
            {m.documents.length === 0 ? (
              <p className="muted">{t('room.noDocuments')}</p>
            ) : (
              <ul className="plain-list">
                {m.documents.map((d) => (
                  <li key={d.id}>
                    <span>{d.name}</span>
                    <span className="muted small">
                      {t('room.pages', { count: d.pages })} · {f.bytes(d.size)} · {t(`confidentiality.${d.confidentiality}`)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>
      <PollPrep meetingId={meetingId} agenda={m.agenda} />
      <MembersPanel meetingId={meetingId} members={m.members} onChanged={load} />
      {m.status === 'published' && <InvitationsPanel meetingId={meetingId} />}
      {m.status !== 'draft' && <ExportLinks meetingId={meetingId} />}
    </>
  );
}

/** Secretariat workspace: create and prepare meetings. */
export function SecretariatScreen({ meetingId }: Readonly<{ meetingId: string | null }>) {
  const { t } = useTranslation();
  const f = useFormat();
  const [list, setList] = useState<MeetingSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!meetingId) {
      endpoints
        .meetings()
        .then((r) => setList(r.meetings))
        .catch(setError);
    }
  }, [meetingId]);
  if (meetingId) {
    return (
      <main className="page page-wide" id="main">
        <MeetingEditor meetingId={meetingId} />
      </main>
    );
  }
  return (
    <main className="page" id="main">
      <h1>{t('secretariat.title')}</h1>
      <ErrorNote error={error} />
      <div className="workspace-grid">
        <section className="panel" aria-labelledby="prep-h">
          <h2 id="prep-h">{t('secretariat.meetings')}</h2>
          {list === null && !error && <p className="muted">{t('common.loading')}</p>}
          <ul className="plain-list">
            {(list ?? []).map((m) => (
              <li key={m.id}>
                <a
                  href={`/secretariat/${m.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/secretariat/${m.id}`);
                  }}
                >
                  {m.title}
                </a>
                <span className="muted small">
                  {t(`status.${m.status}`)} · {f.date(m.startsAt)}
                </span>
              </li>
            ))}
          </ul>
        </section>
        <CreateMeetingForm />
      </div>
    </main>
  );
}
