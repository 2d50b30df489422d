// bench:reader — "Benchmark": time from opening a document to its first page drawn, in Chromium.
// `npm run bench:reader [-- --runs N]`: starts a demo server (PGlite, temp dir) serving the built web
// client, signs in as a delegate and opens the 110-page text report and the scanned-image PDF:
// once cold (bytes downloaded from the server) and N times warm (bytes already on the device, as after
// package sync). Prints a table to stderr and ONE JSON line last on stdout. Results: docs/benchmarks.md "## Reader".
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createSeededServer } from '../seeds/server';
import setupWeb from '../tests/e2e/build-web';
import { WEB_DIR, launch } from '../tests/e2e/browser';

interface Doc {
  readonly label: string;
  readonly agendaItem: RegExp;
  readonly name: string;
}

const DOCS: readonly Doc[] = [
  { label: 'text, 110 pages', agendaItem: /Báo cáo tình hình kinh tế/, name: 'Báo cáo tình hình kinh tế - xã hội năm 2026.pdf' },
  { label: 'scanned images, 6 pages', agendaItem: /Báo cáo kết quả giám sát/, name: 'Biên bản kiểm tra thực địa (bản quét).pdf' },
];
const TARGET_MS: Record<string, number> = { 'text, 110 pages': 300, 'scanned images, 6 pages': 500 };

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i === -1 ? NaN : Number(process.argv[i + 1]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

interface Timing {
  /** Click → first page's canvas drawn (pdf.js render promise resolved). */
  readonly total: number;
  /** Click → document bytes in hand (cache or network). */
  readonly bytes: number;
  /** Bytes → pdf.js document open and page 1 parsed. */
  readonly open: number;
  /** → page 1 drawn. */
  readonly draw: number;
}

/** Clicks "open" and measures from the click to the first page's canvas drawn, with its phases. */
async function openOnce(page: Page, doc: Doc): Promise<Timing> {
  const button = page.getByRole('button', { name: `Mở tài liệu ${doc.name}` });
  await button.waitFor();
  await page.evaluate(() => performance.clearMarks());
  await button.evaluate((el) => {
    performance.mark('bench:click');
    (el as HTMLButtonElement).click();
  });
  await page.locator('.pdf-page[data-page="1"][data-rendered="true"]').waitFor({ timeout: 60_000 });
  // No named helper functions inside evaluate: tsx's keepNames would reference a missing __name.
  const [click, bytes, open, drawn] = await page.evaluate(() =>
    ['bench:click', 'ecab:doc-bytes', 'ecab:doc-open', 'ecab:first-page'].map((n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN),
  );
  const t = { total: (drawn ?? NaN) - (click ?? NaN), bytes: (bytes ?? NaN) - (click ?? NaN), open: (open ?? NaN) - (bytes ?? NaN), draw: (drawn ?? NaN) - (open ?? NaN) };
  await page.getByRole('button', { name: 'Đóng' }).click();
  const r = (x: number) => Math.round(x * 10) / 10;
  return { total: r(t.total), bytes: r(t.bytes), open: r(t.open), draw: r(t.draw) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

async function main(): Promise<void> {
  const runs = arg('runs', 7);
  await setupWeb();
  const dataDir = mkdtempSync(join(tmpdir(), 'ecab-bench-reader-'));
  const server = await createSeededServer({ dataDir, port: 0, seed: 'demo', logLevel: 'warn', webDir: WEB_DIR });
  const url = await server.listen();
  const browser = await launch();
  const results: Record<string, { cold: Timing; warmMedianMs: number; warmMinMs: number; warmMaxMs: number; warmMedianPhases: Omit<Timing, 'total'>; targetMs: number }> = {};
  try {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    await page.goto(url);
    await page.getByLabel('Tên đăng nhập').fill('delegate07');
    await page.getByLabel('Mật khẩu').fill('demo1234');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('button', { name: 'Vào phòng họp' }).first().click();
    await page.getByRole('navigation', { name: 'Chương trình' }).waitFor();
    for (const doc of DOCS) {
      await page.getByRole('navigation', { name: 'Chương trình' }).getByRole('button', { name: doc.agendaItem }).click();
      const cold = await openOnce(page, doc);
      const warmT: Timing[] = [];
      for (let i = 0; i < runs; i++) {
        warmT.push(await openOnce(page, doc));
      }
      const warm = warmT.map((w) => w.total);
      results[doc.label] = {
        cold,
        warmMedianPhases: { bytes: median(warmT.map((w) => w.bytes)), open: median(warmT.map((w) => w.open)), draw: median(warmT.map((w) => w.draw)) },
        warmMedianMs: median(warm),
        warmMinMs: Math.min(...warm),
        warmMaxMs: Math.max(...warm),
        targetMs: TARGET_MS[doc.label] ?? NaN,
      };
      process.stderr.write(`${doc.label.padEnd(26)} cold ${cold.total} ms (bytes ${cold.bytes}, open ${cold.open}, draw ${cold.draw}) · warm median ${median(warm)} ms (min ${Math.min(...warm)}, max ${Math.max(...warm)}) · target ≤ ${TARGET_MS[doc.label]} ms\n`);
    }
    await ctx.close();
  } finally {
    await browser.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(
    JSON.stringify({
      bench: 'reader',
      chromium: browser.version(),
      cpus: cpus().length,
      loadavg1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
      runs,
      results,
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
