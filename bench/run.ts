// `npm run bench`: measures the widget's weight and the relay's cost, each against a
// baseline measured in the same run, prints one table and writes bench/results.json.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { requireTool } from '../scripts/system-tools.mjs';
import { ROOT, type Row } from './lib.js';
import { dispatch } from './measures/dispatch.js';
import { exhaustion } from './measures/exhaustion.js';
import { firstRender } from './measures/first-render.js';
import { historyQuery } from './measures/history-query.js';
import { refusalFlood } from './measures/refusal-flood.js';
import { relayOverhead } from './measures/relay-overhead.js';
import { startup } from './measures/startup.js';
import { streamCapacity } from './measures/stream-capacity.js';
import { sustained } from './measures/sustained.js';
import { verificationCheck } from './measures/verification-check.js';
import { webhookLatency } from './measures/webhook-latency.js';
import { widgetWeight } from './measures/widget-weight.js';
import { workers } from './measures/workers.js';

const MEASURES: [string, () => Promise<Row[]>][] = [
  ['widget weight', widgetWeight],
  ['relay overhead', relayOverhead],
  ['refusal flood', refusalFlood],
  ['sustained load', sustained],
  ['stream capacity', streamCapacity],
  ['exhaustion', exhaustion],
  ['webhook latency', webhookLatency],
  ['booking dispatch', dispatch],
  ['verification check', verificationCheck],
  ['history query', historyQuery],
  ['start-up', startup],
  ['first render', firstRender],
  ['workers', workers],
];

process.env.CHROME_PATH ??= requireTool('chromium');
process.env.REDIS_SERVER ??= requireTool('redis');

const only = process.argv[2];
const rows: Row[] = [];
const started = Date.now();
for (const [name, run] of MEASURES) {
  if (only && !name.includes(only)) continue;
  console.error(`bench: ${name}…`);
  rows.push(...(await run()));
}

console.table(
  rows.map((r) => ({
    measure: r.measure,
    value: `${r.value} ${r.unit}`,
    baseline: r.baseline ?? '',
    ratio: r.ratio ?? '',
    goal: r.goal ?? '',
    met: r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  })),
);
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
};
if (only) {
  // A partial run is for trying a change: the recorded table stays whole.
  console.error(`bench: done in ${Math.round((Date.now() - started) / 1000)} s; bench/results.json left as it was`);
  process.exit(0);
}
writeFileSync(
  join(ROOT, 'bench/results.json'),
  JSON.stringify(
    { date: new Date().toISOString(), machine, seconds: Math.round((Date.now() - started) / 1000), rows },
    null,
    2,
  ) + '\n',
);
console.error(`bench: done in ${Math.round((Date.now() - started) / 1000)} s; written to bench/results.json`);
