// The console's build: static files under console/dist, served by Gatehouse at /_gatehouse/console/
// (src/server/console-assets.ts). Each page is its own chunk (console/src/routes.tsx), so the first view loads
// the shell and the APIs list only.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/_gatehouse/console/',
  // JSX compiles to Preact's automatic runtime (no React, no compat layer: the pages use preact/hooks).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The page's CSP allows no inline script: the module preload polyfill is not needed by Chromium, Firefox or Safari.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1024,
  },
});
