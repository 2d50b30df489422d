import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type TestServer } from '../helpers/server';
import { NonWorkingDayList } from '../../shared/api/non-working-days';
import { WEB_DIR, launch, newContext, screenshot, signIn, watchErrors } from './browser';

/** The council's non-working days in the secretariat workspace: Tết entered as a range, one day removed. */
describe("council's non-working days in Chromium", () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ seed: 'demo', config: { webDir: WEB_DIR } });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the secretary enters Tết as a range of dates, sees the fixed holidays, and removes a day', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const errors: string[] = [];
    watchErrors(page, errors);
    await signIn(page, server.url, 'secretary', '/secretariat');
    await page.getByRole('heading', { name: 'Ngày nghỉ của hội đồng' }).waitFor();
    await page.getByLabel('Năm', { exact: true }).fill('2027');
    await page.getByText('Chưa nhập ngày nghỉ nào cho năm này.').waitFor();
    await page.getByText('Quốc khánh').waitFor();

    await page.getByLabel('Từ ngày').fill('2027-02-04');
    await page.getByLabel('Đến ngày (không bắt buộc)').fill('2027-02-10');
    await page.getByLabel('Tên', { exact: true }).fill('Tết Nguyên đán');
    await page.getByRole('button', { name: 'Thêm ngày nghỉ' }).click();
    await page.getByText('Đã thêm 7 ngày nghỉ.').waitFor();
    const list = page.getByRole('list', { name: 'Ngày nghỉ đã nhập năm 2027' });
    await expect.poll(() => list.getByRole('listitem').count()).toBe(7);
    await screenshot(page, '40-non-working-days');

    await page.getByRole('button', { name: 'Xóa ngày nghỉ 2027-02-10' }).click();
    await expect.poll(() => list.getByRole('listitem').count()).toBe(6);
    const res = await fetch(`${server.url}/api/councils/${await councilId(server.url)}/non-working-days?year=2027`, { headers: await auth(server.url) });
    const stored = NonWorkingDayList.parse(await res.json());
    expect(stored.days.map((d) => d.date)).toEqual(['2027-02-04', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09']);
    expect(errors).toEqual([]);
    await ctx.close();
  });
});

async function auth(baseUrl: string): Promise<Record<string, string>> {
  const r = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'secretary', password: 'demo1234' }) });
  return { authorization: `Bearer ${((await r.json()) as { token: string }).token}` };
}

async function councilId(baseUrl: string): Promise<string> {
  const r = await fetch(`${baseUrl}/api/councils`, { headers: await auth(baseUrl) });
  return ((await r.json()) as { councils: { id: string }[] }).councils[0]?.id ?? '';
}
