// `npm start`: the demo site, the relay at /c2c and, without MT_API_TOKEN, the sandbox
// that stands in for Mobtexting, all on http://localhost:8787.
//   /             a marketing page with the widget from one script tag
//   /crm.html     a CRM contact table calling customers through signed tickets
//   /gallery.html every state of the widget, light and dark, English and Hindi
//   /verify.html  a callback only to a number verified by a spoken code, with the sandbox's
//                 "phone call" (the code it spoke) beside it
import { serveStatic } from '@hono/node-server/serve-static';
import { randomBytes } from 'node:crypto';
import { loadServerConfig } from '../src/relay/node/env-config.js';
import { startRelayServer } from '../src/relay/node/node-server.js';
import { contactRoutes } from './contacts.js';
import { stateRelay } from './state-relay.js';

const ticketSecret = process.env.MT_TICKET_SECRET ?? randomBytes(32).toString('base64url');
const loaded = loadServerConfig({ MT_SANDBOX_DELAY_MS: '3000', ...process.env, MT_TICKET_SECRET: ticketSecret });
if (!loaded.ok) {
  for (const problem of loaded.problems) console.error(`demo: ${problem}`);
  process.exit(2);
}
const server = await startRelayServer(loaded.config, {
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
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
