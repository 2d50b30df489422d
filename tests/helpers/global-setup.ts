import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createSeededServer } from '../../seeds/server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Data dirs with a migrated PGlite database: a fresh PGlite initdb costs ≈ 4 s, a copy ≈ 0.3 s. */
    pgliteTemplateEmpty: string;
    pgliteTemplateDemo: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const root = mkdtempSync(join(tmpdir(), 'ecab-template-'));
  const empty = join(root, 'empty');
  const demo = join(root, 'demo');
  for (const [dir, seed] of [
    [empty, undefined],
    [demo, 'demo'],
  ] as const) {
    const s = await createSeededServer({ dataDir: dir, seed, port: 0, logLevel: 'warn' });
    await s.close();
  }
  project.provide('pgliteTemplateEmpty', empty);
  project.provide('pgliteTemplateDemo', demo);
  return () => rmSync(root, { recursive: true, force: true });
}
