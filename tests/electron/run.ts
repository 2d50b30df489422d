import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';

/**
 * `npm run test:electron`: the Playwright `_electron` suite needs the real Electron binary, which our
 * build machines cannot download. Detect it without `require('electron')` (that would try to download).
 */
function electronBinary(): string | undefined {
  const require = createRequire(import.meta.url);
  let pkgDir: string;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return undefined;
  }
  const bin = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : undefined;
}

const bin = electronBinary();
if (!bin) {
  console.log(
    'test:electron: SKIPPED — the Electron binary is not installed (node_modules/electron/dist is missing;',
  );
  console.log(
    '  our build machines cannot download it). Run `node node_modules/electron/install.js` where it can be downloaded.',
  );
  process.exit(0);
}
const r = spawnSync('npx', ['vitest', 'run', '--project', 'electron'], {
  stdio: 'inherit',
  env: { ...process.env, ELECTRON_BINARY: bin },
});
process.exit(r.status ?? 1);
