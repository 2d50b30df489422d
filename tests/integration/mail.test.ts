import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createMailer } from '../../server/mail/mailer';
import { startServer, type TestServer } from '../helpers/server';
import { startSmtp, type TestSmtp } from '../helpers/smtp';

describe('mailer', () => {
  let smtp: TestSmtp;
  let srv: TestServer;

  beforeAll(async () => {
    smtp = await startSmtp();
    srv = await startServer({ config: { smtpUrl: smtp.url, mailFrom: 'UBND xã Tà Xùa <vanphong@taxua.test>' } });
  });
  afterAll(async () => {
    await srv.close();
    await smtp.close();
  });

  it('sends Vietnamese text, html and a PDF attachment over SMTP with the URL credentials', async () => {
    const { mailer } = srv.server.ctx;
    expect(mailer.enabled).toBe(true);
    const pdf = Buffer.from('%PDF-1.7\n% test attachment\n%%EOF\n');
    const sent = await mailer.send(
      ['dai.bieu1@taxua.test', 'dai.bieu2@taxua.test'],
      'Giấy mời họp: Kỳ họp thứ Bảy',
      'Kính gửi đồng chí,\nTrân trọng kính mời đồng chí dự họp.\nhttp://example.test/meetings/abc?t=xyz',
      '<p>Trân trọng kính mời <b>đồng chí</b></p>',
      [{ filename: 'giay-moi.pdf', content: pdf, contentType: 'application/pdf' }],
    );
    expect(sent.delivered).toBe(true);
    const got = await smtp.waitFor((m) => m.subject === 'Giấy mời họp: Kỳ họp thứ Bảy');
    expect(got.rcpt).toEqual(['dai.bieu1@taxua.test', 'dai.bieu2@taxua.test']);
    expect(got.from).toContain('vanphong@taxua.test');
    expect(got.from).toContain('UBND xã Tà Xùa');
    expect(got.text).toContain('Trân trọng kính mời đồng chí dự họp.');
    expect(got.text).toContain('http://example.test/meetings/abc?t=xyz');
    expect(got.html).toContain('<b>đồng chí</b>');
    expect(got.attachments).toHaveLength(1);
    expect(got.attachments[0]?.filename).toBe('giay-moi.pdf');
    expect(got.attachments[0]?.contentType).toBe('application/pdf');
    expect(got.attachments[0]?.content.equals(pdf)).toBe(true);
  });

  it('fails loudly when the SMTP server refuses the credentials', async () => {
    const bad = createMailer({ smtpUrl: smtp.url.replace('smtp-test-pass', 'wrong'), from: 'x@test', log: pino({ level: 'silent' }) });
    await expect(bad.send('a@test', 'S', 'T')).rejects.toThrow(/auth|Invalid/i);
    bad.close();
  });

  it('without SMTP_URL writes the message to the log instead', async () => {
    const out = new PassThrough();
    const lines: string[] = [];
    out.on('data', (c: Buffer) => lines.push(...c.toString('utf8').split('\n').filter(Boolean)));
    const mailer = createMailer({ smtpUrl: undefined, from: 'x@test', log: pino({ level: 'info' }, out) });
    expect(mailer.enabled).toBe(false);
    const sent = await mailer.send('thu.ky@test', 'Nhắc hạn', 'Hạn trả lời: 17:00');
    expect(sent.delivered).toBe(false);
    const entry = lines.map((l) => JSON.parse(l) as { mail?: { to: string[]; subject: string; text: string } }).find((e) => e.mail);
    expect(entry?.mail).toMatchObject({ to: ['thu.ky@test'], subject: 'Nhắc hạn', text: 'Hạn trả lời: 17:00' });
  });
});
