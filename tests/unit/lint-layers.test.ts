import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it, vi } from 'vitest';

// Loading the config and the parser takes seconds on a busy machine; nothing here is timed.
vi.setConfig({ testTimeout: 120_000 });

/**
 * The layer and cycle rules of eslint.config.js (docs/architecture.md "Layers") must be able to fail:
 * hostile snippets are linted with the project's own config, as `npm run lint` would, and must be
 * refused. Type-aware rules are switched off here (they need the whole program and say nothing about
 * imports).
 */
const root = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root, overrideConfig: [{ ...tseslint.configs.disableTypeChecked, files: ['**/*.{ts,tsx}'] }] });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
}

const restricted = (ids: string[]): string[] => ids.filter((m) => m.startsWith('no-restricted-imports'));

describe('layer rules', () => {
  it.each([
    ['renderer/src/hostile.tsx', "import { readFileSync } from 'fs';\nexport const x = readFileSync;"],
    ['renderer/src/hostile.tsx', "import { join } from 'path';\nexport const x = join;"],
    ['renderer/src/hostile.tsx', "import { join } from 'node:path';\nexport const x = join;"],
    ['renderer/src/hostile.tsx', "import { createServer } from '../../server/app';\nexport const x = createServer;"],
    ['shared/hostile.ts', "import { createHash } from 'crypto';\nexport const x = createHash;"],
    ['shared/hostile.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;"],
    ['electron/preload/hostile.ts', "import { readFile } from 'fs/promises';\nexport const x = readFile;"],
    ['electron/preload/hostile.ts', "import { shell } from 'electron';\nexport const x = shell;"],
    ['electron/main/hostile.ts', "import { createServer } from '../../server/app';\nexport const x = createServer;"],
    ['electron/main/hostile.ts', "import { App } from '../../renderer/src/app';\nexport const x = App;"],
    ['server/hostile.ts', "import { app } from 'electron';\nexport const x = app;"],
    ['server/polls/hostile.ts', "import { rooms } from '../room/io';\nexport const x = rooms;"],
    ['server/hostile.ts', "import { seedDemoIfEmpty } from '../seeds/demo';\nexport const x = seedDemoIfEmpty;"],
    ['server/polls/hostile.ts', "import { seedDemoIfEmpty } from '../../seeds/demo';\nexport const x = seedDemoIfEmpty;"],
  ])('%s: %s is refused', async (file, code) => {
    expect(restricted(await ruleIds(file, code))).not.toEqual([]);
  });

  it('allows what the layers allow', async () => {
    expect(restricted(await ruleIds('server/hostile.ts', "import { join } from 'node:path';\nexport const x = join;"))).toEqual([]);
    expect(restricted(await ruleIds('renderer/src/hostile.tsx', "import { z } from 'zod';\nexport const x = z;"))).toEqual([]);
    expect(restricted(await ruleIds('electron/preload/hostile.ts', "import { contextBridge } from 'electron';\nexport const x = contextBridge;"))).toEqual([]);
  });
});

describe('import cycles', () => {
  // Two real files on disk (the resolver follows imports through the file system), removed afterwards.
  const dir = join('tests/unit', `cycle-fixture-${randomBytes(4).toString('hex')}`);
  afterAll(() => rmSync(join(root, dir), { recursive: true, force: true }));

  it('import-x/no-cycle flags a cycle and passes its absence', async () => {
    mkdirSync(join(root, dir), { recursive: true });
    const a = "import { b } from './b';\nexport const a = (): number => b() + 1;\n";
    const b = "import { a } from './a';\nexport const b = (): number => (a.length > 0 ? 1 : 0);\n";
    writeFileSync(join(root, dir, 'a.ts'), a);
    writeFileSync(join(root, dir, 'b.ts'), b);
    const got = await ruleIds(join(dir, 'a.ts'), a);
    expect(got.filter((m) => m.startsWith('import-x/no-cycle')), got.join('\n')).not.toEqual([]);
    writeFileSync(join(root, dir, 'b.ts'), 'export const b = (): number => 1;\n');
    expect((await ruleIds(join(dir, 'a.ts'), a)).filter((m) => m.startsWith('import-x/no-cycle'))).toEqual([]);
  });
});
