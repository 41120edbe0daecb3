import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// What early-start.ts needs (the transport, the client, the route parser, the view
// loaders, Vite's preload helper): its own small chunk, which the entry runs before the
// shell chunk is even downloaded. It must import nothing from the shell chunk.
const earlyModules =
  /renderer[\\/]src[\\/](early-start|api[\\/](transport|bridge-transport|client)|store[\\/]nav-slice|views[\\/]view-loaders)\.tsx?$|shared[\\/]contract[\\/]preload-api\.ts$|preload-helper/;

/**
 * The entry loads start-app.tsx with a dynamic import (so early-start.ts runs first), which
 * Vite does not announce in index.html: the browser would only ask for React and the app
 * once the entry had run. This lists start-app's chunks and styles as modulepreload links,
 * so they download from the moment the HTML is parsed, as static imports would.
 */
function preloadStartApp(): Plugin {
  return {
    name: 'plenary-preload-start-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const bundle = context.bundle ?? {};
        const startApp = Object.values(bundle).find((chunk) => chunk.type === 'chunk' && chunk.facadeModuleId?.endsWith('/src/start-app.tsx'));
        if (!startApp || startApp.type !== 'chunk') throw new Error('the renderer build has no start-app chunk to preload');
        const files = new Set<string>([startApp.fileName]);
        const visit = (fileName: string) => {
          const chunk = bundle[fileName];
          if (!chunk || chunk.type !== 'chunk') return;
          for (const imported of chunk.imports) {
            if (files.has(imported)) continue;
            files.add(imported);
            visit(imported);
          }
        };
        visit(startApp.fileName);
        const styles = new Set<string>();
        for (const file of files) {
          const chunk = bundle[file];
          if (chunk?.type === 'chunk') for (const css of chunk.viteMetadata?.importedCss ?? []) styles.add(css);
        }
        const listed = (file: string) => html.includes(`./${file}"`);
        return [
          ...[...files].filter((file) => !listed(file)).map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` }, injectTo: 'head' as const })),
          ...[...styles].filter((file) => !listed(file)).map((file) => ({ tag: 'link', attrs: { rel: 'preload', as: 'style', crossorigin: true, href: `./${file}` }, injectTo: 'head' as const })),
        ];
      },
    },
  };
}

// The renderer build, shared by the desktop app (loaded from app.asar) and the browser
// bridge (served by main/bridge). Relative base so both can serve it from any root.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), preloadStartApp()],
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
            { name: 'early', test: earlyModules, priority: 2 },
            {
              // What the shell needs before its first paint, in one file instead of the five
              // small shared chunks the default split made: each request costs the browser's
              // network process time on the same two cores.
              name: 'shell',
              priority: 1,
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
