import { parseArgs } from 'node:util';
import { loadServerConfig } from './env-config.js';
import { startRelayServer } from './node-server.js';
import { createTicket } from '../calls/tickets.js';

const USAGE = `Usage: mt-c2c-relay
       mt-c2c-relay ticket --to <number> [--from <number>] [--label <text>] [--target <name>] [--ttl <seconds>]

Serves the click-to-call relay. Configuration comes from environment variables
(PORT, MT_API_TOKEN, MT_BRIDGE, MT_TARGETS, MT_WEBHOOK_SECRET, ...); see the README.
Without MT_API_TOKEN it runs in sandbox mode: nothing is dialled.

"ticket" prints a signed ticket for one call to --to (a CRM customer), signed with
MT_TICKET_SECRET; --from is the agent rung first.`;

/** `mt-c2c-relay ticket …`: prints one signed ticket. */
async function printTicket(argv: string[]): Promise<number> {
  const secret = process.env.MT_TICKET_SECRET;
  if (!secret) {
    console.error('mt-c2c-relay: MT_TICKET_SECRET: is required to sign tickets');
    return 2;
  }
  const { values } = parseArgs({
    args: argv,
    options: {
      to: { type: 'string' },
      from: { type: 'string' },
      label: { type: 'string' },
      target: { type: 'string' },
      ttl: { type: 'string' },
    },
  });
  if (!values.to) {
    console.error(`mt-c2c-relay: ticket: --to is required\n\n${USAGE}`);
    return 2;
  }
  const ticket = await createTicket({
    secret,
    to: values.to,
    ...(values.from !== undefined && { from: values.from }),
    ...(values.label !== undefined && { label: values.label }),
    ...(values.target !== undefined && { target: values.target }),
    ...(values.ttl !== undefined && { ttlSeconds: Number(values.ttl) }),
  });
  console.log(ticket);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (argv[0] === 'ticket') return printTicket(argv.slice(1));
  if (argv.length > 0) {
    console.error(`mt-c2c-relay: unknown argument "${argv[0]}"\n\n${USAGE}`);
    return 2;
  }
  const loaded = loadServerConfig(process.env);
  if (!loaded.ok) {
    for (const problem of loaded.problems) console.error(`mt-c2c-relay: ${problem}`);
    return 2;
  }
  for (const warning of loaded.warnings) console.error(`mt-c2c-relay: warning: ${warning}`);
  const { config } = loaded;
  const server = await startRelayServer(config);
  if (config.mode === 'sandbox') {
    console.error(
      'mt-c2c-relay: SANDBOX MODE: MT_API_TOKEN is not set, so calls go to the built-in simulator and nothing is dialled.',
    );
  }
  console.error(`mt-c2c-relay: relay at ${server.origin}${config.basePath} (${config.mode} mode)`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`mt-c2c-relay: ${signal}: stopping`);
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`mt-c2c-relay: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
