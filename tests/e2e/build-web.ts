import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';

/** e2e global setup: builds the web client once when dist/web is missing or older than its sources. */
const root = resolve(import.meta.dirname, '../..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export function webIsStale(): boolean {
  const index = join(root, 'dist/web/index.html');
  if (!existsSync(index)) {
    return true;
  }
  const built = statSync(index).mtimeMs;
  const sources = Math.max(newestMtime(join(root, 'renderer')), newestMtime(join(root, 'shared')));
  return sources > built;
}

export default async function setup(): Promise<void> {
  if (!webIsStale()) {
    return;
  }
  await build({ configFile: join(root, 'renderer/vite.config.ts'), logLevel: 'warn' });
}
