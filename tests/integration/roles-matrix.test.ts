import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, ne } from 'drizzle-orm';
import { Api, errorCode, type Reply } from '../helpers/http';
import { startServer, storages, type TestServer } from '../helpers/server';
import type { MeetingRole } from '../../shared/roles';
import { agendaItems, auditLog, blobs, documents, meetingMembers, meetings } from '../../server/db/schema';

/**
 * Every global role (and an outsider and an anonymous caller) against every meetings/agenda route
 * ("a role × route matrix"). Each case runs on a fresh meeting, so cases are independent.
 * Outsiders get 404, never 403: a route must not reveal that a meeting exists.
 */

type Actor = 'admin' | 'secretary' | 'chair' | 'delegate' | 'observer' | 'outsider' | 'anonymous';
const ACTORS: readonly Actor[] = ['admin', 'secretary', 'chair', 'delegate', 'observer', 'outsider', 'anonymous'];

interface Fixture {
  readonly meetingId: string;
  readonly itemId: string;
  /** A delegate of the meeting that member routes act upon. */
  readonly targetId: string;
  /** An internal document of the meeting (private notes routes). */
  readonly documentId: string;
}

interface Route {
  readonly name: string;
  /** The meeting's state before the call; undefined = the route needs no meeting. */
  readonly state?: 'draft' | 'published';
  readonly mutating: boolean;
  /** Accepted mutations are audited unless false (private notes: a member's own papers). */
  readonly audited?: false;
  readonly call: (api: Api, fx: Fixture) => Promise<Reply>;
  readonly expect: Readonly<Record<Actor, number>>;
}

/** The common pattern: managers may, other members 403, outsiders 404, anonymous 401. */
const manage = (ok: number): Record<Actor, number> => ({
  admin: ok,
  secretary: ok,
  chair: 403,
  delegate: 403,
  observer: 403,
  outsider: 404,
  anonymous: 401,
});

const ROUTES: readonly Route[] = [
  {
    name: 'POST /api/councils',
    mutating: true,
    call: (api) => api.post('/api/councils', { name: 'Hội đồng thử' }),
    expect: { admin: 201, secretary: 403, chair: 403, delegate: 403, observer: 403, outsider: 403, anonymous: 401 },
  },
  {
    name: 'POST /api/meetings',
    mutating: true,
    call: (api) => api.post('/api/meetings', { title: 'Họp', body: 'HĐND', startsAt: '2026-12-01T08:00:00Z' }),
    expect: { admin: 201, secretary: 201, chair: 403, delegate: 403, observer: 403, outsider: 403, anonymous: 401 },
  },
  {
    name: 'GET /api/meetings/:id (published)',
    state: 'published',
    mutating: false,
    call: (api, fx) => api.get(`/api/meetings/${fx.meetingId}`),
    expect: { admin: 200, secretary: 200, chair: 200, delegate: 200, observer: 200, outsider: 404, anonymous: 401 },
  },
  {
    name: 'GET /api/meetings/:id (draft)',
    state: 'draft',
    mutating: false,
    call: (api, fx) => api.get(`/api/meetings/${fx.meetingId}`),
    expect: { admin: 200, secretary: 200, chair: 200, delegate: 404, observer: 404, outsider: 404, anonymous: 401 },
  },
  {
    name: 'PATCH /api/meetings/:id',
    state: 'published',
    mutating: true,
    call: (api, fx) => api.patch(`/api/meetings/${fx.meetingId}`, { location: 'Phòng họp số 2' }),
    expect: manage(200),
  },
  {
    name: 'POST /api/meetings/:id/status draft→published',
    state: 'draft',
    mutating: true,
    call: (api, fx) => api.post(`/api/meetings/${fx.meetingId}/status`, { status: 'published' }),
    // Drafts are invisible to delegates and observers: 404, not 403.
    expect: { admin: 200, secretary: 200, chair: 403, delegate: 404, observer: 404, outsider: 404, anonymous: 401 },
  },
  {
    name: 'POST /api/meetings/:id/status published→in_progress',
    state: 'published',
    mutating: true,
    call: (api, fx) => api.post(`/api/meetings/${fx.meetingId}/status`, { status: 'in_progress' }),
    expect: { ...manage(200), chair: 200 },
  },
  {
    name: 'DELETE /api/meetings/:id (draft)',
    state: 'draft',
    mutating: true,
    call: (api, fx) => api.delete(`/api/meetings/${fx.meetingId}`),
    expect: { admin: 204, secretary: 204, chair: 403, delegate: 404, observer: 404, outsider: 404, anonymous: 401 },
  },
  {
    name: 'PUT /api/meetings/:id/members/:userId',
    state: 'published',
    mutating: true,
    call: (api, fx) => api.put(`/api/meetings/${fx.meetingId}/members/${fx.targetId}`, { role: 'observer' }),
    expect: manage(200),
  },
  {
    name: 'DELETE /api/meetings/:id/members/:userId',
    state: 'published',
    mutating: true,
    call: (api, fx) => api.delete(`/api/meetings/${fx.meetingId}/members/${fx.targetId}`),
    expect: manage(204),
  },
  {
    name: 'POST /api/meetings/:id/rsvp',
    state: 'published',
    mutating: true,
    call: (api, fx) => api.post(`/api/meetings/${fx.meetingId}/rsvp`, { rsvp: 'attending' }),
    // Every member answers for themself; an admin who is not a member has nothing to answer.
    expect: { admin: 403, secretary: 200, chair: 200, delegate: 200, observer: 200, outsider: 404, anonymous: 401 },
  },
  {
    name: 'POST /api/meetings/:id/agenda',
    state: 'published',
    mutating: true,
    call: (api, fx) => api.post(`/api/meetings/${fx.meetingId}/agenda`, { title: 'Mục mới', kind: 'election' }),
    expect: manage(201),
  },
  {
    name: 'PATCH /api/agenda/:itemId',
    state: 'published',
    mutating: true,
    call: (api, fx) => api.patch(`/api/agenda/${fx.itemId}`, { presenter: 'Thư ký' }),
    expect: manage(200),
  },
  {
    name: 'DELETE /api/agenda/:itemId',
    state: 'published',
    mutating: true,
    call: (api, fx) => api.delete(`/api/agenda/${fx.itemId}`),
    expect: manage(204),
  },
  {
    name: 'PUT /api/meetings/:id/agenda/order',
    state: 'published',
    mutating: true,
    call: (api, fx) => api.put(`/api/meetings/${fx.meetingId}/agenda/order`, { items: [{ id: fx.itemId, parentId: null, position: 0 }] }),
    expect: manage(200),
  },
  // Private notes: every member on their own notes; observers do not read internal documents (404);
  // an admin who is not a member keeps no notes (403).
  ...(['GET', 'PUT', 'DELETE'] as const).map(
    (method): Route => ({
      name: `${method} /api/documents/:id/notes${method === 'GET' ? '' : '/:page'}`,
      state: 'published',
      mutating: method !== 'GET',
      audited: false,
      call: (api, fx) =>
        method === 'GET'
          ? api.get(`/api/documents/${fx.documentId}/notes`)
          : method === 'PUT'
            ? api.put(`/api/documents/${fx.documentId}/notes/1`, { text: 'Ghi chú' })
            : api.delete(`/api/documents/${fx.documentId}/notes/1`),
      expect: { admin: 403, secretary: 200, chair: 200, delegate: 200, observer: 404, outsider: 404, anonymous: 401 },
    }),
  ),
];

const CASES = ROUTES.flatMap((route) => ACTORS.map((actor) => ({ route, actor, status: route.expect[actor] })));

describe.each(storages())('roles × routes on %s', (storage) => {
  let srv: TestServer;
  const apis = new Map<Actor, Api>();
  const userIds = new Map<string, string>();
  let targetId: string;

  const api = (a: Actor): Api => {
    const x = apis.get(a);
    if (!x) {
      throw new Error(`no client for ${a}`);
    }
    return x;
  };
  // Refusals themselves are audited as access.denied (who, what, IP); everything else counts here.
  const auditCount = async () => (await srv.server.ctx.db.select({ n: count() }).from(auditLog).where(ne(auditLog.action, 'access.denied')))[0]?.n ?? 0;

  /**
   * Written straight to the database (one transaction instead of four HTTP round trips per case): the
   * routes that build meetings are tested in meetings.test.ts and agenda.test.ts.
   */
  async function fixture(state: 'draft' | 'published'): Promise<Fixture> {
    return srv.server.ctx.db.transaction(async (tx) => {
      const [m] = await tx
        .insert(meetings)
        .values({ title: 'Kỳ họp thử', body: 'HĐND xã', startsAt: new Date('2026-12-01T08:00:00Z'), status: state })
        .returning({ id: meetings.id });
      const meetingId = m?.id ?? '';
      const role = (u: string, r: MeetingRole) => ({ meetingId, userId: userIds.get(u) ?? '', role: r });
      await tx
        .insert(meetingMembers)
        .values([role('secretary', 'secretary'), role('chair', 'chair'), role('delegate01', 'delegate'), role('delegate02', 'delegate'), role('observer1', 'observer')]);
      const [item] = await tx
        .insert(agendaItems)
        .values({ meetingId, position: 0, title: 'Mục 1', kind: 'report' })
        .returning({ id: agendaItems.id });
      const sha256 = 'e'.repeat(64);
      await tx.insert(blobs).values({ sha256, size: 10 }).onConflictDoNothing();
      const [doc] = await tx
        .insert(documents)
        .values({ meetingId, name: 'Tờ trình.pdf', sha256, size: 10, pages: 3 })
        .returning({ id: documents.id });
      return { meetingId, itemId: item?.id ?? '', targetId, documentId: doc?.id ?? '' };
    });
  }

  beforeAll(async () => {
    srv = await startServer({ storage, seed: 'demo' });
    const anon = new Api(srv.url);
    apis.set('anonymous', anon);
    const admin = await anon.login('admin');
    apis.set('admin', admin);
    for (const [username, role] of [
      ['observer1', 'observer'],
      ['outsider1', 'delegate'],
    ] as const) {
      const r = await admin.post('/api/users', { username, displayName: `Người ${username}`, role, password: 'pass-word-1' });
      expect(r.status).toBe(201);
    }
    apis.set('observer', await anon.login('observer1', 'pass-word-1'));
    apis.set('outsider', await anon.login('outsider1', 'pass-word-1'));
    apis.set('secretary', await anon.login('secretary'));
    apis.set('chair', await anon.login('chair'));
    apis.set('delegate', await anon.login('delegate01'));
    const users = (await admin.get('/api/users')).body as { users: { id: string; username: string }[] };
    for (const u of users.users) {
      userIds.set(u.username, u.id);
    }
    targetId = userIds.get('delegate02') ?? '';
  });
  afterAll(async () => {
    await srv?.close();
  });

  it.each(CASES)('$route.name as $actor → $status', async ({ route, actor, status }) => {
    const fx = route.state ? await fixture(route.state) : { meetingId: '', itemId: '', targetId, documentId: '' };
    const before = await auditCount();
    const r = await route.call(api(actor), fx);
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    const after = await auditCount();
    if (status >= 400) {
      expect(errorCode(r.body)).toBe({ 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' }[status]);
      // A refused request changes nothing: no entry but its own access.denied.
      expect(after).toBe(before);
    } else if (route.mutating && route.audited === false) {
      expect(after).toBe(before);
    } else if (route.mutating) {
      // Every accepted mutation is audited in the same transaction.
      expect(after).toBe(before + 1);
    }
  });
});
