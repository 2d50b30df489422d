import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Api } from '../helpers/http';
import { startServer, type TestServer } from '../helpers/server';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { pdfText } from '../helpers/pdf-text';
import { MemberList, MeetingSummary } from '../../shared/api/meetings';
import { WEB_DIR, launch, newContext, screenshot, signIn, watchErrors } from './browser';

/** Invitations by email and written consultations, driven in Chromium against a real SMTP server. */
describe('invitations and written consultations in Chromium', () => {
  let smtp: TestSmtp;
  let server: TestServer;
  let browser: Browser;
  let secretary: Api;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    smtp = await startSmtp();
    server = await startServer({ seed: 'demo', config: { webDir: WEB_DIR, smtpUrl: smtp.url } });
    browser = await launch();
    secretary = await new Api(server.url).login('secretary');
    for (const u of (await secretary.get<{ users: { id: string; username: string }[] }>('/api/users')).body.users) {
      ids.set(u.username, u.id);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
  });

  it('the secretary emails a short-notice invitation (warned); the member answers from the link without signing in', async () => {
    const title = 'Họp UBND xã về phòng chống lũ quét';
    const created = await secretary.post('/api/meetings', { title, body: 'Họp gấp', location: 'Phòng họp UBND xã', startsAt: new Date(Date.now() + 20 * 3600 * 1000).toISOString() });
    const meetingId = MeetingSummary.parse(created.body).id;
    await secretary.put(`/api/meetings/${meetingId}/members/${ids.get('delegate01') ?? ''}`, { role: 'delegate' });
    await secretary.post(`/api/meetings/${meetingId}/status`, { status: 'published' });

    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const errors: string[] = [];
    watchErrors(page, errors);
    await signIn(page, server.url, 'secretary', `/secretariat/${meetingId}`);
    await page.getByTestId('notice-warning').waitFor();
    expect(await page.getByTestId('notice-warning').textContent()).toContain('ngày làm việc');
    await page.getByRole('button', { name: 'Gửi giấy mời qua thư điện tử' }).click();
    await page.getByText('Đã gửi giấy mời cho').waitFor();
    await screenshot(page, '60-invitation-sent');

    const mail = await smtp.waitFor((m) => m.rcpt.includes('delegate01@taxua.example') && m.subject === `Giấy mời họp: ${title}`);
    expect(mail.attachments.map((a) => a.filename)).toEqual(['giay-moi.pdf']);
    expect(pdfText(mail.attachments[0]?.content ?? new Uint8Array())).toContain('GIẤY MỜI');
    const link = /(http:\/\/\S+\/rsvp#\S+)/.exec(mail.text)?.[1] ?? '';
    expect(link).toContain(server.url);

    // A fresh browser with no session: the link alone answers the invitation.
    const guest = await (await newContext(browser)).newPage();
    watchErrors(guest, errors);
    await guest.goto(link);
    await guest.getByRole('heading', { name: title }).waitFor();
    await guest.getByRole('button', { name: 'Tôi sẽ tham dự' }).click();
    await guest.getByText('Bạn đã xác nhận tham dự.').waitFor();
    await screenshot(guest, '61-rsvp-link');
    const members = MemberList.parse((await secretary.get(`/api/meetings/${meetingId}/members`)).body).members;
    expect(members.find((m) => m.userId === ids.get('delegate01'))?.rsvp).toBe('attending');
    // A forged link is refused with a clear message.
    // (A new page: changing only the fragment of the open page would not reload it.)
    const forged = await (await newContext(browser)).newPage();
    await forged.goto(link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
    await forged.getByText('Liên kết không hợp lệ').waitFor();
    expect(errors).toEqual([]);
  });

  it('a consultation is created, answered by three members, a late answer is refused, then closed with its report', async () => {
    const title = 'Xin ý kiến về phương án hỗ trợ hộ nghèo';
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const errors: string[] = [];
    watchErrors(page, errors);
    await signIn(page, server.url, 'secretary', '/consultations');
    await page.getByRole('heading', { name: 'Tạo phiếu lấy ý kiến' }).waitFor();
    await page.getByLabel('Tiêu đề').fill(title);
    await page.getByLabel('Nội dung xin ý kiến').fill('Đồng chí có đồng ý với phương án hỗ trợ 2 triệu đồng mỗi hộ không?');
    const soon = new Date(Date.now() + 3 * 24 * 3600 * 1000 + 7 * 3600 * 1000).toISOString().slice(0, 16);
    await page.getByLabel('Hạn trả lời').fill(soon);
    for (const u of ['delegate01', 'delegate02', 'delegate03', 'delegate04']) {
      await page.getByLabel(`(${u})`).check();
    }
    await page.getByRole('button', { name: 'Tạo và gửi cho thành viên' }).click();
    await page.waitForURL(/\/consultations\/[0-9a-f-]{36}$/);
    const id = /\/consultations\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
    await smtp.waitFor((m) => m.subject === `Xin ý kiến: ${title}` && m.rcpt.includes('delegate04@taxua.example'));

    const answer = async (user: string, choice: string, comment?: string) => {
      const p = await (await newContext(browser)).newPage();
      watchErrors(p, errors);
      await signIn(p, server.url, user, `/consultations/${id}`);
      await p.getByRole('radio', { name: choice, exact: true }).check();
      if (comment) {
        await p.getByLabel('Nội dung ý kiến khác').fill(comment);
      }
      return p;
    };
    for (const [user, choice, comment] of [
      ['delegate01', 'Đồng ý'],
      ['delegate02', 'Không đồng ý'],
      ['delegate03', 'Ý kiến khác', 'Đề nghị ưu tiên hộ có người khuyết tật'],
    ] as const) {
      const p = await answer(user, choice, comment);
      await p.getByRole('button', { name: 'Gửi ý kiến' }).click();
      await p.getByTestId('my-answer').waitFor();
    }
    // delegate04 opens the form, but the secretary closes first: the answer is refused.
    const late = await answer('delegate04', 'Đồng ý');
    await page.reload();
    await expect.poll(() => page.getByTestId('answered-count').textContent()).toContain('3/4');
    await page.getByRole('button', { name: 'Kết thúc và lập báo cáo' }).click();
    await page.getByTestId('report').waitFor();
    expect(await page.getByTestId('tally').textContent()).toContain('Đồng ý: 1');
    await screenshot(page, '62-consultation-closed');
    await late.getByRole('button', { name: 'Gửi ý kiến' }).click();
    await late.getByText('Đã hết hạn trả lời').waitFor();

    const report = await fetch(`${server.url}/api/consultations/${id}/report`, { headers: { authorization: `Bearer ${secretary.token ?? ''}` } });
    const text = pdfText(Buffer.from(await report.arrayBuffer())).replace(/\s+/g, ' ');
    expect(text).toContain('BÁO CÁO KẾT QUẢ LẤY Ý KIẾN BẰNG VĂN BẢN');
    expect(text).toContain('Không trả lời: 1/4');
    expect(text).toContain('Đề nghị ưu tiên hộ có người khuyết tật');
    expect(errors).toEqual([]);
  });
});
