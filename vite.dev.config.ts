import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const relay = process.env.RELAY_ORIGIN ?? 'http://127.0.0.1:8787';

/** Serves the demo pages with the widget's sources instead of the built bundle, so edits reload at once. */
function widgetFromSource(): Plugin {
  return {
    name: 'widget-from-source',
    transformIndexHtml(html) {
      return html.replace(
        '<script src="/cdn/mt-click-to-call.js"></script>',
        `<script type="module" src="/@fs${root}src/widget/define.ts"></script>`,
      );
    },
  };
}

// `npm run dev`: the demo pages with live reload, the relay and sandbox behind a proxy.
export default defineConfig({
  root: 'demo/pages',
  plugins: [widgetFromSource()],
  server: {
    host: '127.0.0.1',
    port: Number(process.env.DEV_PORT ?? 5173),
    fs: { allow: [root] },
    // Host kept as the page's, so the relay sees a same-origin page (its origin check).
    proxy: { '/c2c': { target: relay, changeOrigin: false }, '/demo': { target: relay, changeOrigin: false } },
  },
});
