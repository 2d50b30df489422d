import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// No node:url here (renderer/ lint zone): a file URL's pathname, decoded, is the directory.
const dir = (rel: string) => decodeURIComponent(new URL(rel, import.meta.url).pathname);
const root = dir('.');

/**
 * The web client: served by the session server at `/` (dist/web) and loaded by the Electron shell.
 * base '/' because client routes like /display/<id> are deep links served the SPA shell.
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: dir('../dist/web'),
    emptyOutDir: true,
    // pdf.js is large by nature; it is split into its own chunk and the worker is a separate file.
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
  },
});
