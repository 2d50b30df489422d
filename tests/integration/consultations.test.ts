import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, errorCode } from '../helpers/http';
import { startServer, storages, type TestServer } from '../helpers/server';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { pdfText } from '../helpers/pdf-text';
import { samplePdf } from '../unit/signatures-fixtures';
import { demoCertDir } from '../../seeds/demo-certs';
import { signBallot } from '../../server/signatures/ballot-sign';
import { signerFromPkcs12 } from '../../server/signatures/p12';
import { sendDueReminders } from '../../server/consultations/reminders';
import { answerSignedChoice } from '../../server/consultations/answer-signature';
import { Consultation, CONSULTATION_SIGN_SCOPE } from '../../shared/api/consultations';

const HOUR = 3600 * 1000;

describe.each(storages())('written consultations on %s', (storage) => {
  let smtp: TestSmtp;
  let srv: TestServer;
  let anon: Api;
  let secretary: Api;
  const as = new Map<string, Api>();
  const ids = new Map<string, string>();

  beforeAll(async () => {
    smtp = await startSmtp();
    srv = await startServer({ storage, seed: 'demo', config: { smtpUrl: smtp.url, reminderIntervalMs: 250 } });
    anon = new Api(srv.url);
    secretary = await anon.login('secretary');
    for (const u of (await secretary.get<{ users: { id: string; username: string }[] }>('/api/users')).body.users) {
      ids.set(u.username, u.id);
    }
    for (const u of ['delegate01', 'delegate02', 'delegate03', 'delegate04', 'delegate09']) {
      as.set(u, await anon.login(u));
    }
  });
  afterAll(async () => {
    await srv?.close();
    await smtp?.close();
  });

  const id = (u: string) => ids.get(u) ?? '';
  const client = (u: string) => {
    const c = as.get(u);
    if (!c) {
      throw new Error(u);
    }
    return c;
  };

  async function create(title: string, members: string[], deadline: Date): Promise<Consultation> {
    const r = await secretary.post('/api/consultations', { title, question: 'Đồng chí có đồng ý với dự thảo quyết định phê duyệt kế hoạch không?', deadline: deadline.toISOString(), memberIds: members.map(id) });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return Consultation.parse(r.body);
  }

  it('three members answer (one signed), a late answer is refused, closing produces the report PDF', async () => {
    const title = `Phê duyệt kế hoạch đầu tư công 2027 (${storage})`;
    const c = await create(title, ['delegate01', 'delegate02', 'delegate03', 'delegate04'], new Date(Date.now() + 72 * HOUR));
    const opened = await smtp.waitFor((m) => m.rcpt.includes('delegate01@taxua.example') && m.subject === `Xin ý kiến: ${title}`);
    expect(opened.text).toContain(`${srv.url}/consultations/${c.id}`);

    const form = new FormData();
    form.append('file', new Blob([Buffer.from(await samplePdf(2))], { type: 'application/pdf' }), 'Dự thảo quyết định.pdf');
    const up = await fetch(`${srv.url}/api/consultations/${c.id}/documents`, { method: 'POST', headers: { authorization: `Bearer ${secretary.token ?? ''}` }, body: form });
    expect(up.status).toBe(201);
    const docUrl = ((await up.json()) as { url: string }).url;
    const pdf = await fetch(`${srv.url}${docUrl}`, { headers: { authorization: `Bearer ${client('delegate02').token ?? ''}` } });
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');

    // A member sees it among their open consultations; an outsider cannot even see it.
    const mine = (await client('delegate01').get<{ consultations: Consultation[] }>('/api/consultations?status=open')).body.consultations;
    expect(mine.map((x) => x.id)).toContain(c.id);
    expect((await client('delegate09').get(`/api/consultations/${c.id}`)).status).toBe(404);
    expect((await client('delegate09').post(`/api/consultations/${c.id}/answers`, { choice: 'agree' })).status).toBe(404);

    expect((await client('delegate01').post(`/api/consultations/${c.id}/answers`, { choice: 'agree' })).status).toBe(201);
    // Signed like a named ballot, with delegate02's demo certificate.
    const signer = signerFromPkcs12(readFileSync(join(demoCertDir(srv.dataDir), 'delegate02.p12')), 'demo1234');
    const signature = await signBallot(
      { meetingId: CONSULTATION_SIGN_SCOPE, pollId: c.id, choice: answerSignedChoice('disagree', ''), ballotId: randomUUID(), castAt: new Date().toISOString() },
      signer,
    );
    const forgedChoice = await client('delegate02').post(`/api/consultations/${c.id}/answers`, { choice: 'agree', signature });
    expect(errorCode(forgedChoice.body)).toBe('INVALID_SIGNATURE');
    const signed = await client('delegate02').post(`/api/consultations/${c.id}/answers`, { choice: 'disagree', signature });
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    expect(Consultation.parse(signed.body).myAnswer).toMatchObject({ choice: 'disagree', signed: true });
    const noText = await client('delegate03').post(`/api/consultations/${c.id}/answers`, { choice: 'other' });
    expect(noText.status).toBe(400);
    expect((await client('delegate03').post(`/api/consultations/${c.id}/answers`, { choice: 'other', comment: 'Đề nghị bổ sung kinh phí cho xã vùng cao' })).status).toBe(201);
    const again = await client('delegate01').post(`/api/consultations/${c.id}/answers`, { choice: 'disagree' });
    expect(again.status).toBe(409);
    expect(errorCode(again.body)).toBe('CONFLICT');

    const seen = Consultation.parse((await secretary.get(`/api/consultations/${c.id}`)).body);
    expect(seen.answeredCount).toBe(3);
    expect(seen.members.filter((m) => m.answer).map((m) => m.userId).sort()).toEqual([id('delegate01'), id('delegate02'), id('delegate03')].sort());
    const memberView = Consultation.parse((await client('delegate01').get(`/api/consultations/${c.id}`)).body);
    expect(memberView.members).toEqual([]);
    expect(memberView.tally).toBeNull();
    expect((await client('delegate01').post(`/api/consultations/${c.id}/close`, {})).status).toBe(403);

    const closed = await secretary.post(`/api/consultations/${c.id}/close`, {});
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(Consultation.parse(closed.body)).toMatchObject({ status: 'closed', tally: { agree: 1, disagree: 1, other: 1, none: 1 } });
    const late = await client('delegate04').post(`/api/consultations/${c.id}/answers`, { choice: 'agree' });
    expect(late.status).toBe(409);
    expect(errorCode(late.body)).toBe('DEADLINE_PASSED');

    const report = await fetch(`${srv.url}/api/consultations/${c.id}/report`, { headers: { authorization: `Bearer ${client('delegate04').token ?? ''}` } });
    expect(report.status).toBe(200);
    const bytes = Buffer.from(await report.arrayBuffer());
    expect(bytes.includes('/ByteRange')).toBe(true); // sealed by the organisation
    // pdftotext breaks long lines where the PDF wraps them.
    const text = pdfText(bytes).replace(/\s+/g, ' ');
    expect(text).toContain('BÁO CÁO KẾT QUẢ LẤY Ý KIẾN BẰNG VĂN BẢN');
    expect(text).toContain(title);
    expect(text).toContain('Đồng ý: 1/4');
    expect(text).toContain('Không đồng ý: 1/4');
    expect(text).toContain('Ý kiến khác: 1/4');
    expect(text).toContain('Không trả lời: 1/4');
    expect(text).toContain('Đề nghị bổ sung kinh phí cho xã vùng cao');
    expect(text).toContain('có chữ ký số');
  });

  it('refuses an answer after the deadline even before the secretary closes it', async () => {
    const c = await create(`Hạn rất ngắn (${storage})`, ['delegate01'], new Date(Date.now() + 1500));
    while (Date.now() <= Date.parse(c.deadline)) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const late = await client('delegate01').post(`/api/consultations/${c.id}/answers`, { choice: 'agree' });
    expect(late.status).toBe(409);
    expect(errorCode(late.body)).toBe('DEADLINE_PASSED');
    expect((late.body as { error: { message: string } }).error.message).toContain('deadline');
  });

  it('reminds members who have not answered before the deadline, once, from what the database says', async () => {
    const title = `Nhắc hạn (${storage})`;
    const c = await create(title, ['delegate03', 'delegate04'], new Date(Date.now() + 2 * HOUR));
    const r3 = await smtp.waitFor((m) => m.subject === `Nhắc trả lời xin ý kiến: ${title}` && m.rcpt.includes('delegate03@taxua.example'));
    await smtp.waitFor((m) => m.subject === `Nhắc trả lời xin ý kiến: ${title}` && m.rcpt.includes('delegate04@taxua.example'));
    expect(r3.text).toContain(`${srv.url}/consultations/${c.id}`);
    // A fresh sweep (what a restarted server does first) finds nothing due: each reminder went once.
    expect(await sendDueReminders(srv.server.ctx)).toBe(0);
    expect(smtp.received.filter((m) => m.subject === `Nhắc trả lời xin ý kiến: ${title}`)).toHaveLength(2);
  });
});
