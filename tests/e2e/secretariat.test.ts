import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../helpers/server';
import { WEB_DIR, launch, newContext, screenshot, signIn, watchErrors } from './browser';

/** A real PDF to upload: one of the demo papers, fetched through the API as a delegate would. */
async function demoPdf(baseUrl: string): Promise<Buffer> {
  const login = (await (
    await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'secretary', password: 'demo1234' }) })
  ).json()) as { token: string };
  const auth = { authorization: `Bearer ${login.token}` };
  const list = (await (await fetch(`${baseUrl}/api/meetings`, { headers: auth })).json()) as { meetings: { id: string }[] };
  const manifest = (await (await fetch(`${baseUrl}/api/meetings/${list.meetings[0]?.id}/package`, { headers: auth })).json()) as {
    documents: { url: string; pages: number }[];
  };
  const big = manifest.documents.find((d) => d.pages >= 100);
  if (!big) {
    throw new Error('demo seed has no 100-page document');
  }
  return Buffer.from(await (await fetch(`${baseUrl}${big.url}`, { headers: auth })).arrayBuffer());
}

describe('secretariat workspace in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    server = await startServer({ seed: 'demo', config: { webDir: WEB_DIR } });
    browser = await launch();
    dir = mkdtempSync(join(tmpdir(), 'ecab-e2e-'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the secretary creates a meeting, builds and reorders the agenda, uploads a PDF with progress and sees a rejection', async () => {
    const pdf = join(dir, 'Tờ trình về quy hoạch nông thôn mới.pdf');
    writeFileSync(pdf, await demoPdf(server.url));
    const notPdf = join(dir, 'ghi-chu.txt');
    writeFileSync(notPdf, 'không phải PDF');

    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const errors: string[] = [];
    watchErrors(page, errors);
    await signIn(page, server.url, 'secretary');
    await page.getByRole('link', { name: 'Văn phòng – Thư ký' }).click();
    await page.getByRole('heading', { name: 'Tạo cuộc họp mới' }).waitFor();

    // The form speaks for itself (noValidate): its own messages, with the limit, never the browser's.
    await page.getByRole('button', { name: 'Tạo cuộc họp' }).click();
    await expect.poll(() => page.getByText('Bắt buộc nhập').count()).toBe(3);
    await page.getByLabel('Cơ quan').fill('x'.repeat(301));
    await page.getByText('Tối đa 300 ký tự (đang có 301)').waitFor();
    await page.getByLabel('Tên cuộc họp').fill('Kỳ họp chuyên đề tháng 12 năm 2026');
    await page.getByLabel('Cơ quan').fill('Hội đồng nhân dân xã Tà Xùa');
    await page.getByLabel('Địa điểm').fill('Hội trường UBND xã');
    await page.getByLabel('Thời gian bắt đầu').fill('2026-12-15T08:00');
    await page.getByLabel('Thời gian kết thúc').fill('2026-12-15T07:30');
    await page.getByText('Thời gian kết thúc phải sau thời gian bắt đầu').waitFor();
    await page.getByLabel('Thời gian kết thúc').fill('2026-12-15T11:30');
    await expect.poll(() => page.getByText('Thời gian kết thúc phải sau thời gian bắt đầu').count()).toBe(0);
    await screenshot(page, '20-secretariat-create');
    await page.getByRole('button', { name: 'Tạo cuộc họp' }).click();
    await page.getByRole('heading', { name: 'Kỳ họp chuyên đề tháng 12 năm 2026' }).waitFor();
    expect(page.url()).toMatch(/\/secretariat\/[0-9a-f-]{36}$/);

    // Agenda: three items, one nested, then reordered with the keyboard-operable buttons.
    const add = async (title: string, kind: string, parent?: string) => {
      await page.getByLabel('Tên nội dung').fill(title);
      await page.getByLabel('Loại').selectOption({ label: kind });
      if (parent) {
        await page.getByLabel('Thuộc mục').selectOption({ label: parent });
      }
      await page.getByRole('button', { name: 'Thêm vào chương trình' }).click();
      await page.locator('.builder-title', { hasText: title }).waitFor();
    };
    await add('Khai mạc kỳ họp', 'Báo cáo');
    await add('Tờ trình về quy hoạch nông thôn mới', 'Nghị quyết');
    await add('Thảo luận tại tổ', 'Báo cáo', '2. Tờ trình về quy hoạch nông thôn mới');
    const titles = () => page.locator('.builder-title').allTextContents();
    await expect.poll(titles).toEqual(['Khai mạc kỳ họp', 'Tờ trình về quy hoạch nông thôn mới', 'Thảo luận tại tổ']);
    await page.getByRole('button', { name: 'Chuyển lên: Tờ trình về quy hoạch nông thôn mới' }).click();
    await expect.poll(titles).toEqual(['Tờ trình về quy hoạch nông thôn mới', 'Thảo luận tại tổ', 'Khai mạc kỳ họp']);
    // The nested item stays under its parent.
    await expect.poll(() => page.locator('.builder-list .builder-list .builder-title').allTextContents()).toEqual(['Thảo luận tại tổ']);

    // Upload with visible per-file progress: the upload is throttled so the progress can be seen.
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
    await page.getByLabel('Gắn với nội dung').selectOption({ label: '1. Tờ trình về quy hoạch nông thôn mới' });
    await page.getByLabel('Chọn tệp PDF').setInputFiles(pdf);
    const job = page.locator('.job', { hasText: 'Tờ trình về quy hoạch nông thôn mới.pdf' });
    await job.waitFor();
    await job.getByText(/Đang tải \d+%/).waitFor();
    await screenshot(page, '21-secretariat-uploading');
    await job.getByText('Đã tải xong').waitFor({ timeout: 60_000 });
    const progress = job.getByRole('progressbar');
    expect(Number(await progress.getAttribute('value'))).toBe(Number(await progress.getAttribute('max')));
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    // The uploaded document is listed with its page count.
    await page.locator('.plain-list li', { hasText: 'Tờ trình về quy hoạch nông thôn mới.pdf' }).getByText(/110 trang/).waitFor();

    // A file that is not a PDF gets a clear rejection.
    await page.getByLabel('Chọn tệp PDF').setInputFiles(notPdf);
    await page.locator('.job', { hasText: 'ghi-chu.txt' }).getByText('Bị từ chối: Chỉ nhận tệp PDF.').waitFor();
    await screenshot(page, '22-secretariat-uploaded');

    // Members: the secretary is a member of the new meeting; add a delegate.
    await page.getByRole('heading', { name: /Thành phần tham dự/ }).scrollIntoViewIfNeeded();
    await page.getByLabel('Thêm người').selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Thêm', exact: true }).click();
    await expect.poll(() => page.locator('table.members tbody tr').count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, '23-secretariat-members');
    await ctx.close();
    expect(errors).toEqual([]);
  });

  it('the secretary prepares polls per item; the chair opens one from the console; the ≥ 2/3 result reaches the hall display', async () => {
    const BUDGET = 'Dự thảo Nghị quyết về dự toán ngân sách xã năm 2027';
    const ELECTION = 'Bầu bổ sung Ủy viên Ủy ban nhân dân xã';
    const QUESTION = 'Thông qua Nghị quyết về dự toán ngân sách xã năm 2027';
    const RULE = 'Thông qua khi tán thành ít nhất 2/3 số phiếu biểu quyết';
    const contexts: BrowserContext[] = [];
    const errors: string[] = [];
    const open = async (username: string, viewport?: { width: number; height: number }): Promise<Page> => {
      const ctx = await newContext(browser, viewport);
      contexts.push(ctx);
      const p = await ctx.newPage();
      watchErrors(p, errors);
      await signIn(p, server.url, username);
      return p;
    };
    try {
      // Secretary, before the session starts: the demo meeting's workspace.
      const sec = await open('secretary');
      await sec.getByRole('link', { name: 'Văn phòng – Thư ký' }).click();
      await sec.getByRole('link', { name: /Kỳ họp thứ 12/ }).click();
      const prep = sec.getByRole('region', { name: 'Biểu quyết chuẩn bị sẵn' });
      await prep.scrollIntoViewIfNeeded();

      // A named yes/no poll with a ≥ 2/3 rule on the votes cast.
      await prep.getByRole('button', { name: `Thêm biểu quyết cho: ${BUDGET}` }).click();
      const form = prep.getByRole('form', { name: `Biểu quyết mới – ${BUDGET}` });
      await form.getByLabel('Nội dung biểu quyết').fill(QUESTION);
      await expect.poll(() => form.getByLabel('Biểu quyết công khai').isChecked()).toBe(true);
      await form.getByLabel('Tính trên').selectOption({ label: 'Số phiếu biểu quyết' });
      await form.getByLabel('Tỷ lệ cần đạt').selectOption({ label: 'Ít nhất hai phần ba (≥ 2/3)' });
      await form.getByText(RULE).waitFor();
      await form.getByLabel('Tự động kết thúc sau một thời gian').check();
      await form.getByLabel('Số phút').fill('5');
      await screenshot(sec, '24-secretariat-poll-form');
      await form.getByRole('button', { name: 'Lưu biểu quyết' }).click();
      const card = prep.locator('.prep-poll', { hasText: QUESTION });
      await card.getByText(RULE).waitFor();
      await card.getByText('Tự kết thúc sau 5 phút').waitFor();

      // Edit it: no countdown after all (keyboard: the form is reached and saved without the mouse).
      await prep.getByRole('button', { name: `Sửa biểu quyết: ${QUESTION}` }).click();
      const edit = prep.getByRole('form', { name: 'Sửa biểu quyết' });
      await edit.getByLabel('Tự động kết thúc sau một thời gian').uncheck();
      await edit.getByLabel('Nội dung biểu quyết').press('Enter');
      await expect.poll(() => card.getByText('Tự kết thúc sau 5 phút').count()).toBe(0);
      await card.getByText(RULE).waitFor();
      const focused = () => sec.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);
      await expect.poll(focused).toBe(`Sửa biểu quyết: ${QUESTION}`);
      // Escape closes a form and returns to the button that opened it.
      await prep.getByRole('button', { name: `Thêm biểu quyết cho: ${ELECTION}` }).press('Enter');
      await sec.keyboard.press('Escape');
      await expect.poll(focused).toBe(`Thêm biểu quyết cho: ${ELECTION}`);

      // A secret election (2 of 3) on the election item, and a throw-away poll that is deleted.
      await prep.getByRole('button', { name: `Thêm biểu quyết cho: ${ELECTION}` }).click();
      const el = prep.getByRole('form', { name: `Biểu quyết mới – ${ELECTION}` });
      await expect.poll(() => el.getByLabel('Bỏ phiếu kín').isChecked()).toBe(true);
      await el.getByLabel('Danh sách ứng cử viên (mỗi dòng một người)').fill('Lò Văn Páo\nGiàng Thị Mai\nSùng A Tủa');
      await el.getByLabel('Số người được chọn tối đa').fill('2');
      await el.getByRole('button', { name: 'Lưu biểu quyết' }).click();
      await prep.locator('.prep-poll', { hasText: ELECTION }).getByText('Chọn tối đa 2/3').waitFor();
      await prep.getByRole('button', { name: `Thêm biểu quyết cho: ${ELECTION}` }).click();
      const junk = prep.getByRole('form', { name: `Biểu quyết mới – ${ELECTION}` });
      await junk.getByLabel('Nội dung biểu quyết').fill('Biểu quyết tạo nhầm');
      await junk.getByLabel('Tán thành / Không tán thành / Không biểu quyết').check();
      await junk.getByRole('button', { name: 'Lưu biểu quyết' }).click();
      await prep.getByRole('button', { name: 'Xóa biểu quyết: Biểu quyết tạo nhầm' }).click();
      await prep.getByText('Xóa biểu quyết này?').waitFor();
      await prep.locator('.prep-poll', { hasText: 'Biểu quyết tạo nhầm' }).getByRole('button', { name: 'Xóa', exact: true }).click();
      await expect.poll(() => prep.getByText('Biểu quyết tạo nhầm').count()).toBe(0);
      await prep.locator('.prep-poll', { hasText: QUESTION }).scrollIntoViewIfNeeded();
      await screenshot(sec, '25-secretariat-prepared-polls');
      await sec.setViewportSize({ width: 768, height: 1024 });
      await prep.locator('.prep-poll', { hasText: QUESTION }).scrollIntoViewIfNeeded();
      await screenshot(sec, '26-secretariat-prepared-polls-tablet');

      // Chair: start, go to the budget item: the prepared poll is listed with its rule.
      const chair = await open('chair');
      await chair.getByRole('button', { name: 'Bàn điều hành' }).first().click();
      await chair.getByRole('heading', { name: 'Bàn điều hành của chủ tọa' }).waitFor();
      const meetingId = /\/meetings\/([0-9a-f-]{36})\/chair/.exec(chair.url())?.[1] ?? '';
      await chair.getByRole('button', { name: 'Khai mạc' }).click();
      await chair.getByText('Đang họp').first().waitFor();
      await chair.getByRole('button', { name: `Chuyển sang: ${BUDGET}` }).click();
      const prepared = chair.locator('.prepared-card', { hasText: QUESTION });
      await prepared.getByText(RULE).waitFor();

      // Hall display on a 1920×1080 projector (signed in as an observer).
      const display = await open('observer01', { width: 1920, height: 1080 });
      await display.goto(`${server.url}/display/${meetingId}`);
      await expect.poll(() => display.locator('.display-item-title').textContent()).toBe(BUDGET);

      // Three delegates check in.
      const delegates: Page[] = [];
      for (const name of ['delegate04', 'delegate05', 'delegate06']) {
        const p = await open(name);
        await p.getByRole('button', { name: 'Vào phòng họp' }).first().click();
        await p.getByRole('button', { name: 'Điểm danh có mặt' }).click();
        await p.getByText('Bạn đã điểm danh').waitFor();
        delegates.push(p);
      }
      await screenshot(chair, '27-chair-prepared-polls');

      // The floor: two delegates ask, the chair gives it to the first; the hall sees the speaker, the timer and who is next.
      await (delegates[1] as Page).getByRole('button', { name: 'Đăng ký phát biểu' }).click();
      await expect.poll(() => chair.locator('.queue li').count()).toBe(1);
      await (delegates[2] as Page).getByRole('button', { name: 'Đăng ký phát biểu' }).click();
      await expect.poll(() => chair.locator('.queue li').count()).toBe(2);
      await chair.getByRole('button', { name: 'Mời phát biểu' }).first().click();
      await display.locator('.display-speaker').waitFor();
      await expect.poll(() => display.locator('.display-timer').textContent()).toMatch(/^\d\d:\d\d \/ 03:00$/);
      await expect.poll(() => display.locator('.display-next li').count()).toBe(1);
      await screenshot(display, '27b-display-speaker-1920');

      // One click opens the prepared poll (without quorum: the recorded reason is asked for).
      await chair.getByRole('button', { name: `Mở biểu quyết: ${QUESTION}` }).click();
      await chair.getByLabel('Lý do mở biểu quyết khi chưa đủ số lượng').fill('Kiểm thử: các đại biểu khác họp tổ');
      await chair.getByRole('button', { name: /Vẫn mở biểu quyết/ }).click();
      await chair.getByRole('button', { name: 'Kết thúc biểu quyết' }).waitFor();
      await chair.locator('.console-open-poll').getByText(RULE).waitFor();
      await display.locator('.display-rule').getByText(RULE).waitFor();

      // Two yes, one no: exactly 2/3 of the votes cast, which passes "at least 2/3".
      for (const [i, p] of delegates.entries()) {
        await p.getByText(QUESTION).first().waitFor();
        await p.getByRole('button', { name: i < 2 ? 'Tán thành' : 'Không tán thành', exact: true }).click();
        await p.getByRole('button', { name: 'Xác nhận' }).click();
        await p.getByText('Phiếu của bạn đã được ghi nhận').waitFor();
      }
      await expect.poll(() => chair.locator('.big-progress').textContent()).toMatch(/^Đã biểu quyết 3\//);
      await expect.poll(() => display.locator('.display-progress').textContent()).toMatch(/^Đã biểu quyết 3\//);
      // Named vote: the chair sees who has not voted yet, by name (absent members marked).
      const pending = chair.locator('.console-open-poll .not-voted');
      await expect.poll(() => pending.locator('summary').textContent(), { timeout: 5000 }).toBe('Chưa biểu quyết (28)');
      await pending.locator('summary').click();
      await expect.poll(() => pending.locator('li').count()).toBe(28);
      await screenshot(chair, '28-chair-prepared-voting');
      await screenshot(display, '29-display-voting-1920');
      await chair.getByRole('button', { name: 'Kết thúc biểu quyết' }).click();

      // The result shows the rule and the verdict on the console, at the delegates and in the hall.
      for (const p of [chair, display, delegates[0] as Page]) {
        const fig = p.getByRole('figure', { name: `Kết quả: ${QUESTION}` });
        await fig.waitFor();
        await expect.poll(() => fig.locator('.verdict').textContent()).toBe('Thông qua');
        await expect.poll(() => fig.locator('.results-rule').textContent()).toBe(RULE);
        await expect.poll(() => fig.locator('.bar-yes .bar-value').textContent()).toMatch(/^2\b/);
      }
      await chair.getByText('Kết quả đã được công bố tới đại biểu và màn hình hội trường.').waitFor();
      await screenshot(chair, '30-chair-prepared-result');
      await screenshot(display, '31-display-result-1920');
      await display.setViewportSize({ width: 1280, height: 800 });
      await screenshot(display, '32-display-result-1280');

      // Repeat the vote with a reason: a new prepared poll, the old result stays.
      await chair.getByRole('button', { name: `Biểu quyết lại: ${QUESTION}` }).click();
      await chair.getByLabel('Lý do biểu quyết lại').fill('Đại biểu đề nghị biểu quyết lại sau khi giải trình');
      await chair.getByRole('button', { name: 'Tạo biểu quyết lại' }).click();
      await chair.locator('.prepared-card', { hasText: 'Biểu quyết lại – lý do: Đại biểu đề nghị' }).getByRole('button', { name: `Mở biểu quyết: ${QUESTION}` }).waitFor();
      await chair.getByRole('figure', { name: `Kết quả: ${QUESTION}` }).waitFor();
      await screenshot(chair, '33-chair-revote-prepared');
      await chair.setViewportSize({ width: 768, height: 1024 });
      await screenshot(chair, '34-chair-console-tablet');
      expect(errors).toEqual([]);
    } finally {
      for (const c of contexts) {
        await c.close().catch(() => undefined);
      }
    }
  });
});
