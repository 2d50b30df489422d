import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { Api, errorCode } from '../helpers/http';
import { startServer, storages, type TestServer } from '../helpers/server';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { CouncilList, MemberList, MeetingSummary } from '../../shared/api/meetings';
import { Task, TaskList } from '../../shared/api/tasks';
import { localDate } from '../../shared/time-zone';
import { auditLog, tasks } from '../../server/db/schema';
import { sendDueTaskReminders } from '../../server/tasks/reminders';
import { listTasks } from '../../server/tasks/service';
import type { AuthUser } from '../../server/auth/sessions';

const DAY = 86_400_000;
const ZONE = 'Asia/Ho_Chi_Minh';

/** Follow-up tasks: assigned from a meeting, reminded by mail once, flagged overdue after their day. */
describe.each(storages())('tasks on %s', (storage) => {
  let smtp: TestSmtp;
  let srv: TestServer;
  let secretary: Api;
  let delegate1: Api;
  let delegate2: Api;
  let councilId: string;
  let meetingId: string;
  let d1: string;
  let d2: string;
  const day = (offset: number) => localDate(new Date(Date.now() + offset * DAY), ZONE);
  const db = () => srv.server.ctx.db;

  beforeAll(async () => {
    smtp = await startSmtp();
    // Only the sweep at start runs by itself; the test sweeps with its own clock.
    srv = await startServer({
      storage,
      seed: 'demo',
      config: { smtpUrl: smtp.url, reminderIntervalMs: 3_600_000, taskReminderLeadDays: 1 },
    });
    const anon = new Api(srv.url);
    [secretary, delegate1, delegate2] = await Promise.all([
      anon.login('secretary'),
      anon.login('delegate01'),
      anon.login('delegate02'),
    ]);
    councilId = CouncilList.parse((await secretary.get('/api/councils')).body).councils[0]?.id ?? '';
    const m = await secretary.post('/api/meetings', {
      title: 'Kỳ họp giao ban tháng 12',
      body: 'UBND xã',
      startsAt: '2026-12-01T08:00:00+07:00',
      councilId,
    });
    meetingId = MeetingSummary.parse(m.body).id;
    expect((await secretary.post(`/api/meetings/${meetingId}/status`, { status: 'published' })).status).toBe(
      200,
    );
    const members = MemberList.parse(
      (await secretary.get(`/api/meetings/${meetingId}/members`)).body,
    ).members;
    d1 = members.find((x) => x.username === 'delegate01')?.userId ?? '';
    d2 = members.find((x) => x.username === 'delegate02')?.userId ?? '';
  });
  afterAll(async () => {
    await srv?.close();
    await smtp?.close();
  });

  const create = (api: Api, body: Record<string, unknown>) => api.post('/api/tasks', { meetingId, ...body });

  it('assigns tasks from a meeting; bad input and non-staff are refused with nothing written', async () => {
    const a = await create(secretary, {
      title: 'Hoàn thiện hồ sơ quy hoạch',
      detail: 'Theo kết luận của chủ tọa',
      assigneeId: d1,
      dueDate: day(1),
    });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(Task.parse(a.body)).toMatchObject({
      status: 'open',
      overdue: false,
      assigneeId: d1,
      councilId,
      meetingId,
      dueDate: day(1),
    });
    const b = await create(secretary, {
      title: 'Báo cáo tiến độ giải ngân',
      assigneeId: d2,
      dueDate: day(-3),
    });
    expect(Task.parse(b.body)).toMatchObject({ overdue: true });
    const before = (await db().select({ n: count() }).from(tasks))[0]?.n;
    const refused = await create(delegate1, { title: 'x', assigneeId: d1, dueDate: day(2) });
    expect([refused.status, errorCode(refused.body)]).toEqual([403, 'FORBIDDEN']);
    for (const bad of [
      { title: '', assigneeId: d1, dueDate: day(2) },
      { title: 'x', assigneeId: d1, dueDate: '31/12/2026' },
      { title: 'x', assigneeId: 'nobody', dueDate: day(2) },
      { title: 'x', assigneeId: '00000000-0000-4000-8000-000000000000', dueDate: day(2) },
    ]) {
      const r = await create(secretary, bad);
      expect([r.status, errorCode(r.body)], JSON.stringify(r.body)).toEqual([400, 'VALIDATION_ERROR']);
    }
    expect((await db().select({ n: count() }).from(tasks))[0]?.n).toBe(before);
    const audit = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.meetingId, meetingId), eq(auditLog.action, 'task.created')));
    expect(audit).toHaveLength(2);
  });

  it('lists per meeting and per council, with the overdue filter in the council’s time zone', async () => {
    const perMeeting = TaskList.parse((await delegate1.get(`/api/meetings/${meetingId}/tasks`)).body).tasks;
    expect(perMeeting.map((t) => t.title)).toEqual([
      'Báo cáo tiến độ giải ngân',
      'Hoàn thiện hồ sơ quy hoạch',
    ]);
    const overdue = TaskList.parse(
      (await secretary.get(`/api/councils/${councilId}/tasks?overdue=true`)).body,
    ).tasks;
    expect(overdue.map((t) => t.title)).toEqual(['Báo cáo tiến độ giải ngân']);
    const mine = TaskList.parse((await delegate1.get('/api/tasks/mine')).body).tasks;
    expect(mine.map((t) => [t.title, t.canUpdate])).toEqual([['Hoàn thiện hồ sơ quy hoạch', true]]);
    expect(errorCode((await secretary.get(`/api/councils/${councilId}/tasks?overdue=maybe`)).body)).toBe(
      'VALIDATION_ERROR',
    );
  });

  it('mails the assignee before the due date and when overdue, once each, across sweeps', async () => {
    const now = new Date();
    expect(await sendDueTaskReminders(srv.server.ctx, now)).toBe(2);
    const soon = await smtp.waitFor((m) => m.subject.startsWith('Nhắc việc: Hoàn thiện hồ sơ quy hoạch'));
    expect(soon.rcpt).toEqual(['delegate01@taxua.example']);
    expect(soon.text).toContain('Theo kết luận của chủ tọa');
    expect(soon.text).toContain(`${srv.server.ctx.publicUrl()}/tasks`);
    const late = await smtp.waitFor((m) => m.subject.startsWith('Quá hạn: Báo cáo tiến độ giải ngân'));
    expect(late.rcpt).toEqual(['delegate02@taxua.example']);
    expect(await sendDueTaskReminders(srv.server.ctx, now)).toBe(0);

    // Two days later (an injected clock, no waiting): the first task is overdue, mailed once more.
    const later = new Date(now.getTime() + 2 * DAY);
    expect(await sendDueTaskReminders(srv.server.ctx, later)).toBe(1);
    const overdue = await smtp.waitFor((m) => m.subject.startsWith('Quá hạn: Hoàn thiện hồ sơ quy hoạch'));
    expect(overdue.rcpt).toEqual(['delegate01@taxua.example']);
    expect(await sendDueTaskReminders(srv.server.ctx, later)).toBe(0);
    const admin = { id: '00000000-0000-4000-8000-000000000000', role: 'admin' } as AuthUser;
    const list = await listTasks(db(), admin, { councilId, overdue: true }, later);
    expect(list.map((t) => t.title).sort()).toEqual([
      'Báo cáo tiến độ giải ngân',
      'Hoàn thiện hồ sơ quy hoạch',
    ]);
  });

  it('lets the assignee move the status; others are refused; the staff cancel; done is never overdue', async () => {
    const [a, b] = TaskList.parse((await secretary.get(`/api/meetings/${meetingId}/tasks`)).body).tasks.sort(
      (x, y) => x.title.localeCompare(y.title),
    );
    if (!a || !b) {
      throw new Error('tasks missing');
    }
    const mineA = b.assigneeId === d1 ? b : a;
    const other = mineA === a ? b : a;
    const started = await delegate1.post(`/api/tasks/${mineA.id}/status`, { status: 'in_progress' });
    expect(Task.parse(started.body)).toMatchObject({ status: 'in_progress', doneAt: null });
    expect((await delegate2.post(`/api/tasks/${mineA.id}/status`, { status: 'done' })).status).toBe(403);
    expect((await delegate1.post(`/api/tasks/${mineA.id}/status`, { status: 'cancelled' })).status).toBe(403);
    expect(
      errorCode((await delegate1.post(`/api/tasks/${mineA.id}/status`, { status: 'finished' })).body),
    ).toBe('VALIDATION_ERROR');
    const done = Task.parse((await delegate1.post(`/api/tasks/${mineA.id}/status`, { status: 'done' })).body);
    expect(done.status).toBe('done');
    expect(done.doneAt).not.toBeNull();
    expect(
      Task.parse((await secretary.post(`/api/tasks/${other.id}/status`, { status: 'cancelled' })).body)
        .status,
    ).toBe('cancelled');
    const overdue = TaskList.parse(
      (await secretary.get(`/api/councils/${councilId}/tasks?overdue=true`)).body,
    ).tasks;
    expect(overdue).toEqual([]);
    const audit = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.meetingId, meetingId), eq(auditLog.action, 'task.status')));
    expect(audit).toHaveLength(3);
  });
});
