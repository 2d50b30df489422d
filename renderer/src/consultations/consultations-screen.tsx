import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Consultation } from '../../../shared/api/consultations';
import { endpoints, type DirectoryUser } from '../api/endpoints';
import { consultEndpoints } from '../api/consult-endpoints';
import { ErrorNote } from '../components/error-note';
import { useFormat } from '../i18n/format';
import { navigate } from '../router';
import { useSession } from '../session';
import { ConsultationDetail } from './consultation-detail';

function CreateForm({ onCreated }: Readonly<{ onCreated: (c: Consultation) => void }>) {
  const { t } = useTranslation();
  const [users, setUsers] = useState<DirectoryUser[]>([]);
  const [title, setTitle] = useState('');
  const [question, setQuestion] = useState('');
  const [deadline, setDeadline] = useState('');
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    endpoints
      .users()
      .then((r) => setUsers(r.users.filter((u) => u.role !== 'admin' && u.role !== 'observer')))
      .catch(setError);
  }, []);
  return (
    <form
      className="panel"
      aria-labelledby="cc-h"
      onSubmit={(e) => {
        e.preventDefault();
        const when = deadline ? new Date(deadline) : null;
        if (!title.trim() || !question.trim()) {
          setProblem('consultations.needText');
        } else if (!when || Number.isNaN(when.getTime()) || when.getTime() <= Date.now()) {
          setProblem('consultations.needDeadline');
        } else if (picked.size === 0) {
          setProblem('consultations.needMembers');
        } else {
          setProblem(null);
          setError(null);
          consultEndpoints
            .createConsultation({ title, question, deadline: when.toISOString(), memberIds: [...picked] })
            .then(async (c) => {
              if (file) {
                await consultEndpoints.addDocument(c.id, file);
              }
              onCreated(c);
            })
            .catch(setError);
        }
      }}
    >
      <h2 id="cc-h">{t('consultations.create')}</h2>
      <label>
        {t('consultations.titleField')}
        <input value={title} maxLength={300} onChange={(e) => setTitle(e.target.value)} />
        <span className="muted small">{t('consultations.titleLimit')}</span>
      </label>
      <label>
        {t('consultations.question')}
        <textarea value={question} maxLength={5000} onChange={(e) => setQuestion(e.target.value)} />
        <span className="muted small">{t('consultations.questionLimit')}</span>
      </label>
      <label>
        {t('consultations.deadline')}
        <input type="datetime-local" value={deadline} onChange={(e) => setDeadline(e.target.value)} />
      </label>
      <label>
        {t('consultations.document')}
        <input type="file" accept="application/pdf" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <fieldset>
        <legend>{t('consultations.members')}</legend>
        {users.map((u) => (
          <label key={u.id} className="row">
            <input
              type="checkbox"
              checked={picked.has(u.id)}
              onChange={(e) => {
                const next = new Set(picked);
                if (e.target.checked) {
                  next.add(u.id);
                } else {
                  next.delete(u.id);
                }
                setPicked(next);
              }}
            />
            <span>
              {u.displayName} <span className="muted small">({u.username})</span>
            </span>
          </label>
        ))}
      </fieldset>
      {problem && (
        <p className="form-error" role="alert">
          {t(problem)}
        </p>
      )}
      <ErrorNote error={error} />
      <button type="submit" className="btn btn-primary">
        {t('consultations.createSubmit')}
      </button>
    </form>
  );
}

/** `/consultations` and `/consultations/<id>`: written opinions between meetings. */
export function ConsultationsScreen({ consultationId }: Readonly<{ consultationId: string | null }>) {
  const { t } = useTranslation();
  const f = useFormat();
  const { session } = useSession();
  const canManage = session?.user.role === 'secretary' || session?.user.role === 'admin';
  const [list, setList] = useState<Consultation[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    consultEndpoints
      .consultations()
      .then((r) => setList(r.consultations))
      .catch(setError);
  }, []);
  useEffect(load, [load]);
  const open = (id: string) => navigate(`/consultations/${id}`);
  return (
    <main className="page" id="main">
      <h1>{t('consultations.heading')}</h1>
      <ErrorNote error={error} />
      {consultationId && <ConsultationDetail key={consultationId} id={consultationId} />}
      {list && (
        <section className="panel" aria-labelledby="cl-h">
          <h2 id="cl-h">{canManage ? t('consultations.all') : t('consultations.mine')}</h2>
          {list.length === 0 ? (
            <p className="muted">{t('consultations.none')}</p>
          ) : (
            <ul className="plain-list">
              {list.map((c) => (
                <li key={c.id}>
                  <a
                    href={`/consultations/${c.id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      open(c.id);
                    }}
                  >
                    {c.title}
                  </a>
                  <span className="muted small">
                    {t(`consultations.status.${c.status}`)} · {t('consultations.deadline')}: {f.dateTime(c.deadline)} ·{' '}
                    {c.canManage ? t('consultations.answered', { answered: c.answeredCount, total: c.memberCount }) : c.myAnswer ? t('consultations.done') : t('consultations.todo')}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {canManage && !consultationId && (
        <CreateForm
          onCreated={(c) => {
            load();
            open(c.id);
          }}
        />
      )}
    </main>
  );
}
