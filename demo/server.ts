// `npm start`: the demo site, the relay at /c2c and, without MT_API_TOKEN, the sandbox
// that stands in for Mobtexting, all on http://localhost:8787.
//   /             a marketing page with the widget from one script tag
//   /crm.html     a CRM contact table calling customers through signed tickets
//   /gallery.html every state of the widget, light and dark, English and Hindi
//   /verify.html  a callback only to a number verified by a spoken code, with the sandbox's
//                 "phone call" (the code it spoke) beside it
//   /c2c/console  the operator's console (its token is printed at start; MT_CONSOLE_TOKEN sets it)
// DEMO_SAMPLE_HISTORY=1 starts the console with a week of made-up calls (in memory).
import { serveStatic } from '@hono/node-server/serve-static';
import { randomBytes } from 'node:crypto';
import { loadServerConfig } from '../src/relay/node/env-config.js';
import { startRelayServer } from '../src/relay/node/node-server.js';
import { MemoryCallStore } from '../src/relay/store/memory/memory-store.js';
import { contactRoutes } from './contacts.js';
import { seedSampleHistory } from './sample-history.js';
import { stateRelay } from './state-relay.js';

const ticketSecret = process.env.MT_TICKET_SECRET ?? randomBytes(32).toString('base64url');
const consoleToken = process.env.MT_CONSOLE_TOKEN ?? randomBytes(24).toString('base64url');
const loaded = loadServerConfig({
  MT_SANDBOX_DELAY_MS: '3000',
  ...process.env,
  MT_TICKET_SECRET: ticketSecret,
  MT_CONSOLE_TOKEN: consoleToken,
});
if (!loaded.ok) {
  for (const problem of loaded.problems) console.error(`demo: ${problem}`);
  process.exit(2);
}
let sample: MemoryCallStore | undefined;
if (process.env.DEMO_SAMPLE_HISTORY === '1') {
  sample = new MemoryCallStore();
  await seedSampleHistory(sample);
}
const server = await startRelayServer(loaded.config, {
  ...(sample && { relay: { store: sample } }),
  configure(app) {
    app.route('/demo', contactRoutes(ticketSecret));
    app.route('/demo/states', stateRelay());
    app.use('/cdn/*', serveStatic({ root: './dist' }));
    app.use('/*', serveStatic({ root: './demo/pages' }));
  },
});
console.error(
  `demo: open ${server.origin}/ (${loaded.config.mode} mode; relay at ${server.origin}${loaded.config.basePath})`,
);
console.error(`demo: operator console: ${server.origin}${loaded.config.basePath}/console — token: ${consoleToken}`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
