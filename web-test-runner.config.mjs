// Widget tests in Chromium. Run through `npm test` (or
// `node --import tsx node_modules/@web/test-runner/dist/bin.js`), which lets this file
// load the TypeScript relay the tests talk to.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { freePort } from './test/helpers/process.ts';
import { startRelayFixture } from './test/widget/relay-fixture.ts';

// The port is chosen first: the relays must know their pages' origin from the start.
const port = await freePort();
const relays = await startRelayFixture(`http://127.0.0.1:${port}`);

export default {
  files: ['test/widget/**/*.test.ts'],
  nodeResolve: true,
  hostname: '127.0.0.1',
  port,
  // One file at a time: files in parallel tabs share the browser's six connections to the
  // test server, and event streams hold them.
  concurrency: 1,
  testsFinishTimeout: 180_000,
  testFramework: { config: { timeout: 10_000 } },
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
        args: [
          '--no-sandbox',
          '--headless=new',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-background-timer-throttling',
          '--disable-renderer-backgrounding',
          '--disable-backgrounding-occluded-windows',
        ],
      },
    }),
  ],
  middleware: [relays.middleware],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: new URL('./tsconfig.json', import.meta.url).pathname }),
    {
      name: 'relay-fixture',
      async serverStop() {
        await relays.close();
      },
    },
  ],
};
