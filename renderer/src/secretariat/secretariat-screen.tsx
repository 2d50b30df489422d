import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Council, MeetingDetail, MeetingStatus, MeetingSummary } from '../../../shared/api/meetings';
import { checkDateTime, checkEndAfterStart, checkText, isPast, type FieldProblem } from './field-check';
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
import { NonWorkingDaysPanel } from './non-working-days-panel';

const LIMITS = { title: 500, body: 300, location: 300 } as const;

/** One labelled input with its own message (aria-invalid + aria-describedby), never the browser's. */
function Field({
  id,
  label,
  problem,
  children,
}: Readonly<{
  id: string;
  label: string;
  problem: FieldProblem | null;
  children: (a: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}>) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        'aria-invalid': problem !== null,
        ...(problem ? { 'aria-describedby': `${id}-err` } : {}),
      })}
      {problem && (
        <span className="field-error" id={`${id}-err`}>
          {t(problem.key, problem.values)}
        </span>
      )}
    </div>
  );
}

function CreateMeetingForm() {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [location, setLocation] = useState('');
  const [councilId, setCouncilId] = useState('');
  const [councils, setCouncils] = useState<Council[]>([]);
  const [startsAt, setStartsAt] = useState('');
  // Decided when the start changes (not while rendering): a warning, never a refusal — a secretary may
  // record a meeting already held.
  const [past, setPast] = useState(false);
  const [endsAt, setEndsAt] = useState('');
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    endpoints
      .councils()
      .then((r) => setCouncils(r.councils))
      .catch(() => undefined);
  }, []);
  const problems = {
    title: checkText(title, { required: true, max: LIMITS.title }),
    body: checkText(body, { required: true, max: LIMITS.body }),
    location: checkText(location, { max: LIMITS.location }),
    startsAt: checkDateTime(startsAt, true),
    endsAt: checkDateTime(endsAt, false) ?? checkEndAfterStart(startsAt, endsAt),
  };
  // Too long is said while typing; "required" only once the secretary tried to submit.
  const shown = (p: FieldProblem | null) => (p && (tried || p.key !== 'form.required') ? p : null);
  async function submit() {
    setTried(true);
    if (Object.values(problems).some((p) => p !== null)) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const created = await endpoints.createMeeting({
        title: title.trim(),
        body: body.trim(),
        location: location.trim(),
        startsAt: new Date(startsAt).toISOString(),
        ...(endsAt ? { endsAt: new Date(endsAt).toISOString() } : {}),
        ...(councilId ? { councilId } : {}),
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
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="create-h">{t('secretariat.create')}</h2>
      <Field id="cm-title" label={t('secretariat.meetingTitle')} problem={shown(problems.title)}>
        {(a) => <input {...a} value={title} onChange={(e) => setTitle(e.target.value)} required />}
      </Field>
      <Field id="cm-body" label={t('secretariat.body')} problem={shown(problems.body)}>
        {(a) => <input {...a} value={body} onChange={(e) => setBody(e.target.value)} required />}
      </Field>
      <Field id="cm-council" label={t('secretariat.council')} problem={null}>
        {(a) => (
          <select {...a} value={councilId} onChange={(e) => setCouncilId(e.target.value)}>
            <option value="">{t('secretariat.noCouncil')}</option>
            {councils.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
                {c.memberCount !== undefined
                  ? ` (${t('secretariat.councilMembers', { count: c.memberCount })})`
                  : ''}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="cm-location" label={t('secretariat.location')} problem={shown(problems.location)}>
        {(a) => <input {...a} value={location} onChange={(e) => setLocation(e.target.value)} />}
      </Field>
      <div className="row">
        <Field id="cm-start" label={t('secretariat.startsAt')} problem={shown(problems.startsAt)}>
          {(a) => (
            <input
              {...a}
              type="datetime-local"
              value={startsAt}
              onChange={(e) => {
                setStartsAt(e.target.value);
                setPast(isPast(e.target.value));
              }}
              required
            />
          )}
        </Field>
        <Field id="cm-end" label={t('secretariat.endsAt')} problem={shown(problems.endsAt)}>
          {(a) => (
            <input
              {...a}
              type="datetime-local"
              value={endsAt}
              min={startsAt || undefined}
              onChange={(e) => setEndsAt(e.target.value)}
            />
          )}
        </Field>
      </div>
      {past && (
        <p className="field-warning" role="status">
          {t('secretariat.pastWarning')}
        </p>
      )}
      <ErrorNote error={error} />
      <button type="submit" className="btn btn-primary" disabled={busy}>
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
                      {t('room.pages', { count: d.pages })} · {f.bytes(d.size)} ·{' '}
                      {t(`confidentiality.${d.confidentiality}`)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>
      <PollPrep meetingId={meetingId} agenda={m.agenda} />
      <MembersPanel meetingId={meetingId} members={m.members} councilId={m.councilId} onChanged={load} />
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
      <NonWorkingDaysPanel />
    </main>
  );
}
