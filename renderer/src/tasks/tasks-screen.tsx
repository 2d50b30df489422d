import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Council, Member, MeetingSummary } from '../../../shared/api/meetings';
import type { Task, TaskStatus } from '../../../shared/api/tasks';
import { endpoints } from '../api/endpoints';
import { taskEndpoints } from '../api/task-endpoints';
import { ErrorNote } from '../components/error-note';
import { Select, SelectField } from '../components/select-field';
import { useFormat } from '../i18n/format';
import { conclusionsQuery } from '../minutes/conclusion-field';
import { checkText, type FieldProblem } from '../secretariat/field-check';

const STATUSES: TaskStatus[] = ['open', 'in_progress', 'done', 'cancelled'];

/** Assign a task from a meeting's conclusions (its secretary or chair). */
function CreateTaskForm({ onCreated }: Readonly<{ onCreated: () => void }>) {
  const { t } = useTranslation();
  const [meetings, setMeetings] = useState<MeetingSummary[]>([]);
  const [meetingId, setMeetingId] = useState('');
  const [members, setMembers] = useState<Member[]>([]);
  const [itemId, setItemId] = useState('');
  const [title, setTitle] = useState('');
  const [detail, setDetail] = useState('');
  const [assigneeId, setAssigneeId] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // Keyed by the meeting, so a late answer for a meeting picked before cannot fill this one's list.
  const conclusionsRead = useQuery({ ...conclusionsQuery(meetingId), enabled: meetingId !== '' });
  const conclusions = conclusionsRead.data?.conclusions ?? [];
  useEffect(() => {
    endpoints
      .meetings()
      .then((r) =>
        setMeetings(
          r.meetings.filter(
            (m) => m.councilId !== null && (m.myRole === 'secretary' || m.myRole === 'chair'),
          ),
        ),
      )
      .catch(setError);
  }, []);
  function pickMeeting(id: string) {
    setMeetingId(id);
    setItemId('');
    setMembers([]);
    if (!id) {
      return;
    }
    endpoints
      .meeting(id)
      .then((m) => setMembers(m.members))
      .catch(setError);
  }
  function pickConclusion(id: string) {
    setItemId(id);
    const c = conclusions.find((x) => x.agendaItemId === id);
    if (c) {
      setTitle(c.title.slice(0, 500));
      setDetail(c.text.slice(0, 5000));
    }
  }
  const problems: Record<string, FieldProblem | null> = {
    meeting: meetingId ? null : { key: 'form.required' },
    title: checkText(title, { required: true, max: 500 }),
    detail: checkText(detail, { max: 5000 }),
    assignee: assigneeId ? null : { key: 'form.required' },
    due: dueDate ? null : { key: 'form.required' },
  };
  const shown = (p: FieldProblem | null | undefined) =>
    p && (tried || p.key !== 'form.required') ? p : null;
  const msg = (id: string, p: FieldProblem | null) =>
    p && (
      <span className="field-error" id={id}>
        {t(p.key, p.values)}
      </span>
    );
  async function submit() {
    setTried(true);
    if (Object.values(problems).some((p) => p !== null)) {
      return;
    }
    setError(null);
    try {
      await taskEndpoints.create({
        meetingId,
        ...(itemId ? { agendaItemId: itemId } : {}),
        title: title.trim(),
        detail: detail.trim(),
        assigneeId,
        dueDate,
      });
      setTitle('');
      setDetail('');
      setItemId('');
      setTried(false);
      onCreated();
    } catch (e) {
      setError(e);
    }
  }
  return (
    <form
      className="panel"
      aria-labelledby="task-new-h"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="task-new-h">{t('tasks.create')}</h2>
      <div className="field">
        <label htmlFor="task-meeting">{t('tasks.meeting')}</label>
        <select
          id="task-meeting"
          value={meetingId}
          onChange={(e) => pickMeeting(e.target.value)}
          aria-invalid={shown(problems.meeting) !== null}
        >
          <option value="">{t('members.choose')}</option>
          {meetings.map((m) => (
            <option key={m.id} value={m.id}>
              {m.title}
            </option>
          ))}
        </select>
        {msg('task-meeting-err', shown(problems.meeting))}
      </div>
      <div className="field">
        <label htmlFor="task-conclusion">{t('tasks.fromConclusion')}</label>
        <select
          id="task-conclusion"
          value={itemId}
          onChange={(e) => pickConclusion(e.target.value)}
          disabled={conclusions.length === 0}
        >
          <option value="">
            {conclusions.length === 0 ? t('tasks.noConclusions') : t('members.choose')}
          </option>
          {conclusions.map((c) => (
            <option key={c.agendaItemId} value={c.agendaItemId}>
              {c.position}. {c.title}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="task-title">{t('tasks.title')}</label>
        <input
          id="task-title"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          aria-invalid={shown(problems.title) !== null}
        />
        {msg('task-title-err', shown(problems.title))}
      </div>
      <div className="field">
        <label htmlFor="task-detail">{t('tasks.detail')}</label>
        <textarea
          id="task-detail"
          rows={3}
          value={detail}
          onChange={(e) => setDetail(e.target.value)}
          aria-invalid={shown(problems.detail) !== null}
        />
        {msg('task-detail-err', shown(problems.detail))}
      </div>
      <div className="row">
        <div className="field">
          <label htmlFor="task-assignee">{t('tasks.assignee')}</label>
          <select
            id="task-assignee"
            value={assigneeId}
            onChange={(e) => setAssigneeId(e.target.value)}
            aria-invalid={shown(problems.assignee) !== null}
          >
            <option value="">{t('members.choose')}</option>
            {members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.displayName}
              </option>
            ))}
          </select>
          {msg('task-assignee-err', shown(problems.assignee))}
        </div>
        <div className="field">
          <label htmlFor="task-due">{t('tasks.dueDate')}</label>
          <input
            id="task-due"
            type="date"
            value={dueDate}
            onChange={(e) => setDueDate(e.target.value)}
            aria-invalid={shown(problems.due) !== null}
          />
          {msg('task-due-err', shown(problems.due))}
        </div>
      </div>
      <ErrorNote error={error} />
      <button type="submit" className="btn btn-primary">
        {t('tasks.createButton')}
      </button>
    </form>
  );
}

/** Follow-up tasks: mine, or a council's with the overdue ones flagged; the assignee moves the status. */
export function TasksScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const [councils, setCouncils] = useState<Council[]>([]);
  const [source, setSource] = useState('mine');
  const [onlyOverdue, setOnlyOverdue] = useState(false);
  const [list, setList] = useState<Task[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    // Staff only (GET /api/councils refuses others): everyone else follows their own tasks.
    endpoints
      .councils()
      .then((r) => setCouncils(r.councils))
      .catch(() => setCouncils([]));
  }, []);
  const load = useCallback(() => {
    const p = source === 'mine' ? taskEndpoints.mine() : taskEndpoints.ofCouncil(source, onlyOverdue);
    p.then((r) => {
      setError(null);
      setList(r.tasks);
    }).catch(setError);
  }, [source, onlyOverdue]);
  useEffect(load, [load]);
  const shown = (list ?? []).filter((x) => !onlyOverdue || x.overdue);
  const statusChoices = STATUSES.map((s) => ({ value: s, label: t(`tasks.statuses.${s}`) }));
  return (
    <main className="page page-wide" id="main">
      <h1>{t('tasks.heading')}</h1>
      <div className="workspace-grid">
        <section className="panel" aria-labelledby="tasks-h">
          <h2 id="tasks-h">{t('tasks.list')}</h2>
          <div className="row">
            <SelectField
              label={t('tasks.source')}
              value={source}
              onChange={setSource}
              choices={[{ value: 'mine', label: t('tasks.mine') }, ...councils.map((c) => ({ value: c.id, label: c.name }))]}
            />
            <label className="check">
              <input
                type="checkbox"
                checked={onlyOverdue}
                onChange={(e) => setOnlyOverdue(e.target.checked)}
              />
              <span>{t('tasks.onlyOverdue')}</span>
            </label>
          </div>
          <ErrorNote error={error} />
          {list === null && !error && <p className="muted">{t('common.loading')}</p>}
          {list !== null && shown.length === 0 && <p className="muted">{t('tasks.none')}</p>}
          {shown.length > 0 && (
            <div className="table-wrap">
              <table className="tasks">
                <thead>
                  <tr>
                    <th scope="col">{t('tasks.title')}</th>
                    <th scope="col">{t('tasks.assignee')}</th>
                    <th scope="col">{t('tasks.dueDate')}</th>
                    <th scope="col">{t('tasks.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((task) => (
                    <tr key={task.id} className={task.overdue ? 'task-overdue' : undefined}>
                      <td>
                        {task.title}
                        {task.detail && <div className="muted small">{task.detail}</div>}
                      </td>
                      <td>{task.assigneeName}</td>
                      <td>
                        {f.date(`${task.dueDate}T12:00:00`)}
                        {task.overdue && <span className="chip chip-overdue">{t('tasks.overdue')}</span>}
                      </td>
                      <td>
                        {task.canUpdate ? (
                          <Select
                            aria-label={t('tasks.statusOf', { title: task.title })}
                            value={task.status}
                            onChange={(status) => {
                              taskEndpoints.setStatus(task.id, status).then(load).catch(setError);
                            }}
                            choices={statusChoices}
                          />
                        ) : (
                          <span className="chip">{t(`tasks.statuses.${task.status}`)}</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        {councils.length > 0 && <CreateTaskForm onCreated={load} />}
      </div>
    </main>
  );
}
