import { fileURLToPath } from 'node:url';
import { build } from 'electron-vite';

/** Global setup of the `electron` project: builds out/main, out/preload and out/renderer once. */
export default async function setup(): Promise<void> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  await build({ configFile: `${root}build/electron.vite.config.ts`, root, logLevel: 'warn' });
}
