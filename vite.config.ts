import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer build, shared by the desktop app (loaded from app.asar) and the browser
// bridge (served by main/bridge). Relative base so both can serve it from any root.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
    // Inline assets would need data: in script-src/style-src; keep everything as files.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              // What the shell needs before its first paint, in one file instead of the five
              // small shared chunks the default split made: each request costs the browser's
              // network process time on the same two cores.
              name: 'shell',
              test: /node_modules[\\/](react|react-dom|scheduler|i18next|react-i18next|zustand)[\\/]|renderer[\\/]src[\\/](store|api)[\\/]|renderer[\\/]src[\\/]app[\\/]error-text/,
            },
          ],
        },
      },
    },
  },
  // Translations arrive as JSON.parse('…') rather than object literals: V8 reads JSON several
  // times faster than the same data as code, and English is on the first paint.
  json: {
    stringify: true,
  },
});
