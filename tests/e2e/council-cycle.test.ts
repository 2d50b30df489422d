import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { initCa } from '../../server/signatures/ca';
import { AgendaItem, CouncilList, MeetingSummary } from '../../shared/api/meetings';
import { IssueCertificateResponse } from '../../shared/signatures/api';
import { startDesktopMain, type DesktopMain } from '../helpers/desktop-main';
import { Api } from '../helpers/http';
import { pdfText } from '../helpers/pdf-text';
import { startServer, type TestServer } from '../helpers/server';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { WEB_DIR, launch, newContext, screenshot, signIn, watchErrors } from './browser';
import { asDesktop } from './desktop-host';

const DAY = 24 * 3600 * 1000;

/**
 * The council's whole cycle in Chromium against the real server and a real SMTP server: invitation
 * mailed → meeting → a speech summarised and the chair's conclusion → minutes with both → the chair
 * signs them and the conclusion notice in the desktop client (real preload, renderer and vault) →
 * notice mailed → a task from the conclusion, shown overdue after its date.
 */
describe('the council cycle in Chromium', () => {
  let smtp: TestSmtp;
  let server: TestServer;
  let browser: Browser;
  let main: DesktopMain;
  const dir = mkdtempSync(join(tmpdir(), 'ecab-cycle-'));

  beforeAll(async () => {
    smtp = await startSmtp();
    server = await startServer({ seed: 'demo', config: { webDir: WEB_DIR, smtpUrl: smtp.url } });
    await initCa(server.dataDir, { name: 'CA HĐND Demo', organization: 'HĐND xã Tà Xùa', keyBits: 2048 });
    main = await startDesktopMain({ dir, serverUrl: server.url });
    main.answer = true;
    browser = await launch();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('invitation → speech and conclusion → minutes signed → notice mailed → task overdue', { timeout: 300_000 }, async () => {
    const errors: string[] = [];
    const page = async (): Promise<Page> => {
      const p = await (await newContext(browser)).newPage();
      watchErrors(p, errors);
      return p;
    };
    const api = new Api(server.url);
    const [secretary, chair, admin] = await Promise.all([api.login('secretary'), api.login('chair'), api.login('admin')]);
    const councilId = CouncilList.parse((await admin.get('/api/councils')).body).councils[0]?.id ?? '';
    const title = 'Kỳ họp chuyên đề về giao thông nông thôn';
    const created = await secretary.post('/api/meetings', { title, body: 'HĐND xã Tà Xùa', location: 'Hội trường UBND xã', startsAt: new Date(Date.now() + 8 * DAY).toISOString(), councilId });
    const meetingId = MeetingSummary.parse(created.body).id;
    expect((await secretary.post(`/api/meetings/${meetingId}/members/from-council`, { councilId })).status).toBeLessThan(300);
    const itemTitle = 'Tờ trình về kế hoạch bê tông hóa đường liên thôn';
    AgendaItem.parse((await secretary.post(`/api/meetings/${meetingId}/agenda`, { title: itemTitle, kind: 'resolution' })).body);
    expect((await secretary.post(`/api/meetings/${meetingId}/status`, { status: 'published' })).status).toBe(200);

    // Invitation: sent from the secretariat, received over SMTP with the signed PDF.
    const sec = await page();
    await signIn(sec, server.url, 'secretary', `/secretariat/${meetingId}`);
    await sec.getByRole('button', { name: 'Gửi giấy mời qua thư điện tử' }).click();
    await sec.getByText('Đã gửi giấy mời cho').waitFor();
    const invitation = await smtp.waitFor((m) => m.rcpt.includes('delegate01@taxua.example') && m.subject === `Giấy mời họp: ${title}`);
    expect(pdfText(invitation.attachments[0]?.content ?? new Uint8Array())).toContain('GIẤY MỜI');

    // The meeting: the secretary records a speaking turn with its summary; the chair records the conclusion.
    expect((await chair.post(`/api/meetings/${meetingId}/status`, { status: 'in_progress' })).status).toBe(200);
    await sec.goto(`${server.url}/meetings/${meetingId}`);
    await sec.getByRole('heading', { name: 'Ý kiến phát biểu' }).waitFor();
    const speaker = sec.getByLabel('Thêm lượt phát biểu của');
    const delegateName = await speaker.locator('option').nth(1).textContent();
    await speaker.selectOption({ index: 1 });
    await sec.getByRole('button', { name: 'Thêm lượt phát biểu' }).click();
    await sec.getByText('Đã thêm lượt phát biểu.').waitFor();
    const summary = 'Đề nghị ưu tiên tuyến đường từ trung tâm xã lên thôn Tà Xùa 2 trước mùa mưa.';
    await sec.getByPlaceholder('Tóm tắt ý kiến (tối đa 5000 ký tự)').first().fill(summary);
    await sec.getByRole('button', { name: /^Lưu tóm tắt/ }).first().click();
    await expect.poll(async () => z.object({ speeches: z.array(z.object({ summary: z.string() })) }).parse((await secretary.get(`/api/meetings/${meetingId}/speeches`)).body).speeches[0]?.summary).toBe(summary);

    const ch = await page();
    await signIn(ch, server.url, 'chair', `/meetings/${meetingId}/chair`);
    const conclusion = 'Thống nhất thông qua kế hoạch; giao UBND xã lập dự toán chi tiết trình kỳ họp sau.';
    await ch.getByLabel(`Kết luận về “${itemTitle}”`).fill(conclusion);
    await ch.getByRole('button', { name: 'Lưu kết luận' }).click();
    await ch.getByText('Đã lưu kết luận.').waitFor();
    await screenshot(ch, '70-cycle-conclusion');
    expect((await chair.post(`/api/meetings/${meetingId}/status`, { status: 'closed' })).status).toBe(200);

    // Minutes: generated by the secretary, with the speech and the conclusion.
    await sec.goto(`${server.url}/meetings/${meetingId}`);
    await sec.getByRole('button', { name: 'Lập biên bản' }).click();
    const minutes = await (async () => {
      for (;;) {
        const list = z.object({ minutes: z.array(z.object({ document: z.object({ id: z.string() }) })) }).parse((await secretary.get(`/api/meetings/${meetingId}/minutes`)).body).minutes;
        if (list[0]) {
          return list[0].document.id;
        }
        await sec.waitForTimeout(200);
      }
    })();
    const minutesPdf = new Uint8Array(await (await fetch(`${server.url}/api/documents/${minutes}/content`, { headers: { authorization: `Bearer ${secretary.token ?? ''}` } })).arrayBuffer());
    const minutesText = pdfText(minutesPdf).replace(/\s+/g, ' ');
    expect(minutesText).toContain(delegateName?.trim() ?? '?');
    expect(minutesText).toContain('Đề nghị ưu tiên tuyến đường');
    expect(minutesText).toContain('Thống nhất thông qua kế hoạch');

    // The chair signs the minutes and the conclusion notice in the desktop client (key in its vault).
    const issued = await admin.post('/api/signatures/certificates', { userId: z.object({ id: z.string() }).parse((await chair.get('/api/me')).body).id, password: 'p12-password' });
    const p12 = new Uint8Array(Buffer.from(IssueCertificateResponse.parse(issued.body).pkcs12Base64, 'base64'));
    expect(await main.invoke('vaultImport', { p12, password: 'p12-password' })).toMatchObject({ ok: true });
    const desktop = await newContext(browser);
    await asDesktop(desktop, main);
    const dc = await desktop.newPage();
    watchErrors(dc, errors);
    await dc.goto(server.url);
    await dc.getByLabel('Tên đăng nhập').fill('chair');
    await dc.getByLabel('Mật khẩu').fill('demo1234');
    await dc.getByRole('button', { name: 'Đăng nhập' }).click();
    await dc.getByRole('button', { name: 'Đăng xuất' }).waitFor();
    await dc.goto(`${server.url}/meetings/${meetingId}`);
    await dc.getByRole('button', { name: 'Ký số với vai trò Chủ tọa' }).first().click();
    await dc.getByText('Đã ký và lưu bản đã ký').waitFor();
    await dc.getByRole('button', { name: 'Lập thông báo kết luận' }).click();
    await dc.getByText('Đã lập thông báo kết luận').waitFor();
    await dc.getByRole('button', { name: 'Ký số với vai trò Chủ tọa' }).last().click();
    await dc.getByText('Chủ tọa đã ký thông báo kết luận.').waitFor();
    await dc.getByRole('button', { name: 'Gửi cho các đại biểu' }).click();
    await dc.getByText(/Đã gửi thư tới \d+ đại biểu/).waitFor();
    await screenshot(dc, '71-cycle-minutes-notice');
    expect(main.confirmations.filter((c) => c.kind === 'document')).toHaveLength(2);
    const notice = await smtp.waitFor((m) => m.rcpt.includes('delegate01@taxua.example') && m.attachments.some((a) => pdfText(a.content).includes('THÔNG BÁO KẾT LUẬN')));
    expect(pdfText(notice.attachments.find((a) => a.filename.endsWith('.pdf'))?.content ?? new Uint8Array())).toContain('Thống nhất thông qua kế hoạch');

    // A task from the conclusion, due yesterday: listed as overdue.
    await sec.goto(`${server.url}/tasks`);
    await sec.getByLabel('Cuộc họp').selectOption({ label: title });
    await sec.getByLabel('Theo kết luận của chủ tọa').selectOption({ index: 1 });
    await sec.getByLabel('Nhiệm vụ', { exact: true }).fill('Lập dự toán chi tiết tuyến đường liên thôn');
    await sec.getByLabel('Người thực hiện').selectOption({ index: 1 });
    await sec.getByLabel('Hạn hoàn thành').fill(new Date(Date.now() - 2 * DAY).toISOString().slice(0, 10));
    await sec.getByRole('button', { name: 'Giao việc' }).click();
    await expect.poll(async () => z.object({ tasks: z.array(z.unknown()) }).parse((await secretary.get(`/api/meetings/${meetingId}/tasks`)).body).tasks.length).toBe(1);
    // The council's list (the default one is the secretary's own tasks).
    await sec.getByRole('combobox', { name: /^Xem/ }).selectOption({ index: 1 });
    const row = sec.getByRole('row', { name: /Lập dự toán chi tiết tuyến đường liên thôn/ });
    await row.waitFor();
    await expect.poll(() => row.getByText('Quá hạn').count()).toBeGreaterThan(0);
    await screenshot(sec, '72-cycle-task-overdue');
    expect(errors).toEqual([]);
  });
});
