import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, errorCode } from '../helpers/http';
import { startServer, storages, type TestServer } from '../helpers/server';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { pdfText } from '../helpers/pdf-text';
import { signLinkToken } from '../../server/mail/link-token';
import { InvitationsView, RsvpLinkView, SendInvitationsResponse } from '../../shared/api/invitations';
import { MemberList, MeetingSummary } from '../../shared/api/meetings';

const DAY = 24 * 3600 * 1000;

describe.each(storages())('invitations by email on %s', (storage) => {
  let smtp: TestSmtp;
  let srv: TestServer;
  let anon: Api;
  let secretary: Api;
  let admin: Api;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    smtp = await startSmtp();
    srv = await startServer({ storage, seed: 'demo', config: { smtpUrl: smtp.url } });
    anon = new Api(srv.url);
    secretary = await anon.login('secretary');
    admin = await anon.login('admin');
    const users = (await secretary.get<{ users: { id: string; username: string }[] }>('/api/users')).body.users;
    for (const u of users) {
      ids.set(u.username, u.id);
    }
  });
  afterAll(async () => {
    await srv?.close();
    await smtp?.close();
  });

  const userId = (name: string) => {
    const id = ids.get(name);
    if (!id) {
      throw new Error(`no user ${name}`);
    }
    return id;
  };

  /** A published meeting starting `inDays` from now with three delegates and one agenda item. */
  async function publishedMeeting(title: string, inDays: number): Promise<string> {
    const created = await secretary.post('/api/meetings', {
      title,
      body: 'Phiên họp thường kỳ tháng 12',
      location: 'Phòng họp số 2, UBND xã Tà Xùa',
      startsAt: new Date(Date.now() + inDays * DAY).toISOString(),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = MeetingSummary.parse(created.body).id;
    for (const u of ['delegate01', 'delegate02', 'delegate03']) {
      expect((await secretary.put(`/api/meetings/${id}/members/${userId(u)}`, { role: 'delegate' })).status).toBe(201);
    }
    expect((await secretary.post(`/api/meetings/${id}/agenda`, { title: 'Kế hoạch phát triển kinh tế - xã hội năm 2027', kind: 'report' })).status).toBe(201);
    expect((await secretary.post(`/api/meetings/${id}/status`, { status: 'published' })).status).toBe(200);
    return id;
  }

  it('emails each member a signed PDF invitation with the meeting link and a personal RSVP link that answers it', async () => {
    const title = `Phiên họp UBND tháng 12 (${storage})`;
    const id = await publishedMeeting(title, 14);
    const sent = await secretary.post(`/api/meetings/${id}/invitations`, {});
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const res = SendInvitationsResponse.parse(sent.body);
    expect(res.warnings).toEqual([]);
    expect(res.invitation.signed).toBe(true);
    expect(res.invitation.shortNotice).toBe(false);
    const d01 = res.invitation.deliveries.find((d) => d.userId === userId('delegate01'));
    expect(d01).toMatchObject({ email: 'delegate01@taxua.example', status: 'sent' });

    const mail = await smtp.waitFor((m) => m.rcpt.includes('delegate01@taxua.example') && m.subject === `Giấy mời họp: ${title}`);
    expect(mail.text).toContain(`${srv.url}/meetings/${id}`);
    expect(mail.text).toContain('Phòng họp số 2, UBND xã Tà Xùa');
    expect(mail.text).toContain('1. Kế hoạch phát triển kinh tế - xã hội năm 2027');
    const pdf = mail.attachments.find((a) => a.filename === 'giay-moi.pdf');
    expect(pdf?.contentType).toBe('application/pdf');
    const text = pdfText(pdf?.content ?? new Uint8Array());
    expect(text).toContain('GIẤY MỜI');
    expect(text).toContain(title);
    expect(text).toContain('Phòng họp số 2, UBND xã Tà Xùa');
    // The attached file is the stored meeting document, sealed by the organisation and trusted.
    const docId = res.invitation.documentId ?? '';
    const verify = await secretary.post<{ valid: boolean; signatures: unknown[] }>(`/api/documents/${docId}/verify`);
    expect(verify.body.valid).toBe(true);
    expect(verify.body.signatures).toHaveLength(1);

    const link = /\/rsvp#([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(mail.text);
    const token = link?.[1] ?? '';
    expect(token).not.toBe('');
    expect(mail.text).toContain(`${srv.url}/rsvp#${token}`);
    const view = RsvpLinkView.parse((await anon.post('/api/rsvp-link/view', { token })).body);
    expect(view.meeting).toMatchObject({ id, title });
    expect(view.member.rsvp).toBe('pending');
    const answered = await anon.post('/api/rsvp-link', { token, rsvp: 'absent', reason: 'Đi công tác huyện' });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(RsvpLinkView.parse(answered.body).member).toMatchObject({ rsvp: 'absent', rsvpReason: 'Đi công tác huyện' });
    const members = MemberList.parse((await secretary.get(`/api/meetings/${id}/members`)).body).members;
    expect(members.find((m) => m.userId === userId('delegate01'))).toMatchObject({ rsvp: 'absent', rsvpReason: 'Đi công tác huyện' });
    expect((await anon.post('/api/rsvp-link', { token, rsvp: 'attending' })).status).toBe(200);

    // The link is not a sign-in.
    expect((await new Api(srv.url, token).get('/api/me')).status).toBe(401);

    // Forged: another member's id under delegate01's MAC; a flipped MAC byte; a respelled MAC.
    const [body = '', mac = ''] = token.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    const otherBody = Buffer.from(JSON.stringify({ ...payload, u: userId('delegate02') })).toString('base64url');
    // The same MAC spelled otherwise: its last character's two unused bits set (decodes to the same bytes).
    const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = `${mac.slice(0, -1)}${B64URL[B64URL.indexOf(mac.slice(-1)) ^ 1] ?? ''}`;
    for (const forged of [`${otherBody}.${mac}`, `${body}.${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`, `${body}.${respelled}`, 'not-a-token']) {
      const r = await anon.post('/api/rsvp-link', { token: forged, rsvp: 'attending' });
      expect(r.status, forged).toBe(forged === 'not-a-token' ? 400 : 403);
      if (forged !== 'not-a-token') {
        expect(errorCode(r.body)).toBe('LINK_INVALID');
      }
    }
    // Expired (signed with the server's key, exp in the past).
    const expired = await signLinkToken(srv.server.ctx.db, { p: 'rsvp', m: id, u: userId('delegate02'), exp: Math.floor(Date.now() / 1000) - 60 });
    const late = await anon.post('/api/rsvp-link', { token: expired, rsvp: 'attending' });
    expect(late.status).toBe(410);
    expect(errorCode(late.body)).toBe('LINK_EXPIRED');
    // Another purpose, same key: refused.
    const wrongPurpose = await signLinkToken(srv.server.ctx.db, { p: 'login', m: id, u: userId('delegate02'), exp: Math.floor(Date.now() / 1000) + 600 });
    expect(errorCode((await anon.post('/api/rsvp-link', { token: wrongPurpose, rsvp: 'attending' })).body)).toBe('LINK_INVALID');
    expect(MemberList.parse((await secretary.get(`/api/meetings/${id}/members`)).body).members.find((m) => m.userId === userId('delegate02'))?.rsvp).toBe('pending');

    const list = InvitationsView.parse((await secretary.get(`/api/meetings/${id}/invitations`)).body);
    expect(list.invitations).toHaveLength(1);
    expect((await (await anon.login('delegate01')).get(`/api/meetings/${id}/invitations`)).status).toBe(403);
  });

  it('warns the secretary (and still sends) when a regular meeting gets under 3 working days of notice', async () => {
    const id = await publishedMeeting(`Họp gấp (${storage})`, 1);
    const before = InvitationsView.parse((await secretary.get(`/api/meetings/${id}/invitations`)).body);
    expect(before.notice).toMatchObject({ required: 3, short: true });
    const sent = await secretary.post(`/api/meetings/${id}/invitations`, {});
    expect(sent.status).toBe(201);
    const res = SendInvitationsResponse.parse(sent.body);
    expect(res.warnings.map((w) => w.code)).toEqual(['SHORT_NOTICE']);
    expect(res.invitation.shortNotice).toBe(true);
    await smtp.waitFor((m) => m.subject === `Giấy mời họp: Họp gấp (${storage})` && m.rcpt.includes('delegate03@taxua.example'));
    // An extraordinary meeting is called at short notice on purpose: no warning.
    const again = SendInvitationsResponse.parse((await secretary.post(`/api/meetings/${id}/invitations`, { extraordinary: true })).body);
    expect(again.warnings).toEqual([]);
  });

  it('reports members without an address and refuses drafts', async () => {
    const id = await publishedMeeting(`Không có địa chỉ (${storage})`, 10);
    expect((await admin.put(`/api/users/${userId('delegate03')}/email`, { email: null })).status).toBe(200);
    const res = SendInvitationsResponse.parse((await secretary.post(`/api/meetings/${id}/invitations`, {})).body);
    expect(res.invitation.deliveries.find((d) => d.userId === userId('delegate03'))?.status).toBe('no_email');
    expect(res.warnings.map((w) => w.code)).toContain('NOT_DELIVERED');
    expect((await admin.put(`/api/users/${userId('delegate03')}/email`, { email: 'delegate03@taxua.example' })).status).toBe(200);
    expect((await secretary.post(`/api/meetings/${id}/status`, { status: 'draft' })).status).toBe(200);
    const draft = await secretary.post(`/api/meetings/${id}/invitations`, {});
    expect(draft.status).toBe(409);
  });
});
