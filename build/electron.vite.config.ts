import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('..', import.meta.url));
const at = (...p: string[]) => resolve(root, ...p);

/**
 * `npm run build:desktop`: out/main (ESM main process), out/preload/index.cjs (sandboxed preloads
 * cannot load ES modules or node_modules, so it is one self-contained CommonJS bundle), and
 * out/renderer (the same React app as the web client, served from app://ecabinet/).
 */
export default defineConfig({
  main: {
    build: {
      outDir: at('out/main'),
      externalizeDeps: true,
      rollupOptions: { input: { index: at('electron/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: at('out/preload'),
      externalizeDeps: false,
      rollupOptions: {
        input: { index: at('electron/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: at('renderer'),
    plugins: [react()],
    // electron-vite forces base './' in production; the renderer routes with pushState, so a reload at
    // app://ecabinet/meetings/1 would look for meetings/assets/…. Absolute URLs keep assets at the root.
    experimental: { renderBuiltUrl: (filename: string) => `/${filename}` },
    build: {
      outDir: at('out/renderer'),
      emptyOutDir: true,
      chunkSizeWarningLimit: 2000,
      rollupOptions: { input: { index: at('renderer/index.html') } },
    },
  },
});
