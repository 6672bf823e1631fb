import { loadServerConfig } from './env-config.js';
import { jsonLogger } from './logger.js';
import { startRelayServer } from './node-server.js';

const USAGE = `Usage: mt-c2c-relay

Serves the click-to-call relay. Configuration comes from environment variables
(PORT, MT_API_TOKEN, MT_BRIDGE, MT_TARGETS, MT_WEBHOOK_SECRET, ...); see the README.
Without MT_API_TOKEN it runs in sandbox mode: nothing is dialled.`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
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
  const server = await startRelayServer(config, { logger: jsonLogger() });
  if (config.mode === 'sandbox') {
    console.error('mt-c2c-relay: SANDBOX MODE: MT_API_TOKEN is not set, so calls go to the built-in simulator and nothing is dialled.');
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
