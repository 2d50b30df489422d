import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type TestServer } from '../helpers/server';
import { WEB_DIR, launch, newContext, screenshot } from './browser';

const VIETNAMESE = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;

interface Detail {
  title: string;
  body: string;
  location: string;
  agenda: { title: string; presenter: string; description: string; children: Detail['agenda'] }[];
  documents: { name: string }[];
  members: { displayName: string; title: string | null }[];
}

/** Everything that is user data (names, titles, places, papers): allowed to stay Vietnamese. */
async function userData(baseUrl: string): Promise<string[]> {
  const login = (await (
    await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'secretary', password: 'demo1234' }) })
  ).json()) as { token: string };
  const auth = { authorization: `Bearer ${login.token}` };
  const list = (await (await fetch(`${baseUrl}/api/meetings`, { headers: auth })).json()) as { meetings: { id: string }[] };
  const out = new Set<string>(['Tiếng Việt']);
  for (const m of list.meetings) {
    const d = (await (await fetch(`${baseUrl}/api/meetings/${m.id}`, { headers: auth })).json()) as Detail;
    [d.title, d.body, d.location].forEach((s) => out.add(s));
    const walk = (items: Detail['agenda']) =>
      items.forEach((i) => {
        [i.title, i.presenter, i.description].forEach((s) => out.add(s));
        walk(i.children);
      });
    walk(d.agenda);
    d.documents.forEach((x) => out.add(x.name));
    d.members.forEach((x) => {
      out.add(x.displayName);
      if (x.title) {
        out.add(x.title);
      }
    });
  }
  // Longest first, so a name inside a longer title is not removed piecemeal.
  return [...out].filter((s) => s.trim() !== '').sort((a, b) => b.length - a.length);
}

async function leftovers(page: Page, allowed: string[]): Promise<string[]> {
  // The PDF's own text layer is document content, not UI.
  let text = await page.evaluate(() => {
    const layers = Array.from(document.querySelectorAll<HTMLElement>('.textLayer'));
    layers.forEach((l) => (l.style.display = 'none'));
    const t = document.body.innerText;
    layers.forEach((l) => (l.style.display = ''));
    return t;
  });
  for (const a of allowed) {
    text = text.split(a).join(' ');
  }
  // A dropdown option shows the numbered start of a long agenda title ("3. Dự thảo Nghị quyết về …"):
  // still user data when what precedes the ellipsis begins a known title.
  const shortened = (line: string) => {
    const m = /^\s*(?:\d+\.)+\s+(.+)…\s*$/u.exec(line);
    const start = m?.[1];
    return start !== undefined && allowed.some((a) => a.startsWith(start));
  };
  return text.split('\n').filter((line) => VIETNAMESE.test(line) && !shortened(line));
}

describe('English UI in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let allowed: string[];

  beforeAll(async () => {
    server = await startServer({ seed: 'demo', config: { webDir: WEB_DIR } });
    browser = await launch();
    allowed = await userData(server.url);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signInEnglish(username: string, path = '/'): Promise<Page> {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${server.url}${path}`);
    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('demo1234');
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }

  it('switching to English leaves no Vietnamese on the main screens (user data aside)', async () => {
    const delegate = await signInEnglish('delegate05');
    await delegate.getByRole('heading', { name: 'My meetings' }).waitFor();
    await delegate.getByText('Upcoming and in session').waitFor();
    expect(await leftovers(delegate, allowed)).toEqual([]);
    await screenshot(delegate, '30-en-meetings');

    await delegate.getByRole('button', { name: 'Enter the room' }).first().click();
    await delegate.getByRole('navigation', { name: 'Agenda' }).waitFor();
    await delegate.getByRole('heading', { name: 'Attendance' }).waitFor();
    expect(await leftovers(delegate, allowed)).toEqual([]);
    await delegate.getByRole('button', { name: /^Open document / }).first().click();
    await delegate.locator('.pdf-page[data-page="1"][data-rendered="true"]').waitFor({ timeout: 30_000 });
    expect(await leftovers(delegate, allowed)).toEqual([]);
    await screenshot(delegate, '31-en-reader');

    const chair = await signInEnglish('chair');
    await chair.getByRole('button', { name: 'Chair console' }).first().click();
    await chair.getByRole('heading', { name: 'Chair console' }).waitFor();
    await chair.getByRole('heading', { name: 'Speakers' }).waitFor();
    expect(await leftovers(chair, allowed)).toEqual([]);
    await screenshot(chair, '32-en-chair');
    const meetingId = /\/meetings\/([0-9a-f-]{36})\/chair/.exec(chair.url())?.[1];

    const secretary = await signInEnglish('secretary', '/secretariat');
    await secretary.getByRole('heading', { name: 'New meeting' }).waitFor();
    expect(await leftovers(secretary, allowed)).toEqual([]);
    await secretary.getByRole('link', { name: allowed.find((s) => s.startsWith('Kỳ họp thứ')) ?? '' }).click();
    await secretary.getByRole('heading', { name: 'Upload documents' }).waitFor();
    await secretary.getByRole('heading', { name: /Members/ }).waitFor();
    expect(await leftovers(secretary, allowed)).toEqual([]);
    await screenshot(secretary, '33-en-secretariat');

    await secretary.goto(`${server.url}/display/${meetingId}`);
    await secretary.getByText('Now discussing').waitFor();
    expect(await leftovers(secretary, allowed)).toEqual([]);
    await screenshot(secretary, '34-en-display');
  });
});
