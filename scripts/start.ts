import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/**
 * `npm start` (docs/architecture.md "Commands"): builds the web client if needed, starts the session server on
 * :4100 with PGlite in ./data (seeding the demo council when empty), then opens the desktop client
 * where Electron and a display exist; otherwise it says so and prints the web address.
 */
const root = resolve(import.meta.dirname, '..');
const dataDir = resolve(process.env.ECAB_DATA ?? join(root, 'data'));

function electronBinary(): string | undefined {
  try {
    const pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const pathFile = join(pkgDir, 'path.txt');
    if (!existsSync(pathFile)) {
      return undefined;
    }
    const bin = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

if (!existsSync(join(root, 'dist/web/index.html'))) {
  console.log('Building the web client (first start)…');
  const b = spawnSync('npm', ['run', 'build:web'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) {
    console.error('Web client build failed; starting the API server only.');
  }
}

const empty = !existsSync(join(dataDir, 'db')) || readdirSync(join(dataDir, 'db')).length === 0;
const args = ['tsx', 'scripts/server.ts', '--data', dataDir, '--port', process.env.PORT ?? '4100', '--seed', 'demo'];
if (empty) {
  console.log(`No data in ${dataDir}: seeding the demo council (this takes a few seconds).`);
}
const server = spawn('npx', args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
let desktopStarted = false;
server.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  const m = /E-Cabinet server listening on (http:\/\/\S+)/.exec(chunk.toString());
  if (m?.[1] && !desktopStarted) {
    desktopStarted = true;
    const url = m[1];
    const bin = electronBinary();
    const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY) || process.platform !== 'linux';
    const mainJs = join(root, 'out/main/index.js');
    if (!bin) {
      console.log(`Desktop client: Electron is not installed here. Open the web client at ${url}/`);
    } else if (!hasDisplay) {
      console.log(`Desktop client: no display found. Open the web client at ${url}/`);
    } else {
      if (!existsSync(mainJs)) {
        spawnSync('npm', ['run', 'build:desktop'], { cwd: root, stdio: 'inherit' });
      }
      const app = spawn(bin, [root], { cwd: root, stdio: 'inherit', env: { ...process.env, ECAB_SERVER_URL: url } });
      app.on('exit', () => console.log(`Desktop client closed; the web client stays at ${url}/`));
    }
    console.log(`Demo accounts: admin, secretary, chair, delegate01…delegate30, observer01 — password demo1234`);
  }
});
server.on('exit', (code) => process.exit(code ?? 1));
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => server.kill(sig));
}
