import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
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

    await page.getByLabel('Tên cuộc họp').fill('Kỳ họp chuyên đề tháng 12 năm 2026');
    await page.getByLabel('Cơ quan').fill('Hội đồng nhân dân xã Tà Xùa');
    await page.getByLabel('Địa điểm').fill('Hội trường UBND xã');
    await page.getByLabel('Thời gian bắt đầu').fill('2026-12-15T08:00');
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
});
