// `npm run build:console`: the operator's console, one minified script with Lit and
// uPlot inside, `dist/console/console.js`. The relay serves it at `<base>/console/console.js`
// (never part of the widget's CDN files); a copy as a module,
// `dist/relay/console/console-script.js`, lets `relayConsole()` serve it on any runtime.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'vite';

await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    outDir: 'dist/console',
    emptyOutDir: true,
    target: 'es2022',
    minify: 'esbuild',
    sourcemap: false,
    lib: { entry: 'src/console/main.ts', name: 'MtConsole', formats: ['iife'], fileName: () => 'console.js' },
  },
});
const script = readFileSync('dist/console/console.js', 'utf8');
mkdirSync('dist/relay/console', { recursive: true });
writeFileSync('dist/relay/console/console-script.js', `export default ${JSON.stringify(script)};\n`);
writeFileSync('dist/relay/console/console-script.d.ts', 'declare const script: string;\nexport default script;\n');
console.error(`build:console: dist/console/console.js, ${(script.length / 1024).toFixed(0)} KB`);
