// `npm run dev`: the demo server (relay and sandbox) on 8787 and Vite's dev server on
// 5173 in front of it, reloading the pages as the widget's sources change.
import { spawn } from 'node:child_process';

const relayPort = process.env.PORT ?? '8787';
const devPort = process.env.DEV_PORT ?? '5173';
// The pages come from Vite's server: the relay takes its origins as its own pages'.
const devOrigins = [`http://localhost:${devPort}`, `http://127.0.0.1:${devPort}`];
const allowedOrigins = [process.env.MT_ALLOWED_ORIGINS, ...devOrigins].filter(Boolean).join(',');
const children = [
  spawn(process.execPath, ['--import', 'tsx', 'demo/server.ts'], {
    stdio: 'inherit',
    env: { ...process.env, PORT: relayPort, MT_ALLOWED_ORIGINS: allowedOrigins },
  }),
  spawn(process.execPath, ['node_modules/vite/bin/vite.js', '--config', 'vite.dev.config.ts'], {
    stdio: 'inherit',
    env: { ...process.env, DEV_PORT: devPort, RELAY_ORIGIN: `http://127.0.0.1:${relayPort}` },
  }),
];
const stop = () => children.forEach((child) => child.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) child.on('exit', stop);
