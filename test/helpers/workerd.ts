import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { Miniflare, type Request as MiniflareRequest } from 'miniflare';
import { Readable } from 'node:stream';
import { request as httpRequest } from 'node:http';
import { TEST_BRIDGE, TEST_TOKEN, TEST_WEBHOOK_SECRET } from './constants.js';
import { ROOT } from './process.js';
import { openSse, type SseReader } from './sse.js';

/** The built Worker script: what `npm run build` writes and a site deploys. */
export const WORKER_SCRIPT = join(ROOT, 'dist/workers/worker.js');
/** The example deployment's configuration: `examples/workers/wrangler.jsonc`. */
export const EXAMPLE_CONFIG = join(ROOT, 'examples/workers/wrangler.jsonc');

/** What the tests read of a wrangler configuration. */
export interface WranglerConfig {
  main: string;
  compatibility_date: string;
  durable_objects: { bindings: { name: string; class_name: string }[] };
  migrations: { tag: string; new_sqlite_classes?: string[] }[];
  assets?: { directory: string; binding?: string };
  vars?: Record<string, unknown>;
}

/** Reads a wrangler.jsonc: JSON with whole-line comments and trailing commas. */
export function readWranglerConfig(path: string): WranglerConfig {
  const json = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('//'))
    .join('\n')
    .replace(/,(\s*[\]}])/g, '$1');
  return JSON.parse(json) as WranglerConfig;
}

/** The compatibility date the example deployment names: the tests run the Worker as it deploys. */
export const COMPATIBILITY_DATE = readWranglerConfig(EXAMPLE_CONFIG).compatibility_date;
export const TICKET_SECRET = 'workers-ticket-secret-0123456789abcdef';
/** The origin of the pages that call the relay in these tests. */
export const SITE = 'https://site.test';

/** Where the Worker reaches Mobtexting and the site's hook endpoint: hosts only the test answers. */
export const MOBTEXTING_BASE = 'https://mobtexting.test/api/v2/';
export const HOOK_URL = 'https://hooks.test/call-ended';

/** The relay's variables in these tests, as a site sets them (`wrangler.jsonc` `vars` and secrets). */
export const WORKER_VARS: Record<string, string> = {
  MT_API_TOKEN: TEST_TOKEN,
  MT_API_BASE: MOBTEXTING_BASE,
  MT_BRIDGE: TEST_BRIDGE,
  MT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
  // Always open, and offering callback slots: two places each, today and tomorrow.
  MT_TARGETS: JSON.stringify({
    sales: {
      to: '918046000100',
      callFirst: 'visitor',
      duration: 15,
      hours: { timezone: 'Asia/Kolkata', 'mon-sun': '00:00-24:00' },
      slots: { minutes: 15, daysAhead: 1, perSlot: 2 },
    },
  }),
  MT_ALLOWED_ORIGINS: SITE,
  MT_TICKET_SECRET: TICKET_SECRET,
  MT_UPSTREAM_TIMEOUT_MS: '800',
  MT_RATE_LIMITS: 'ip=3/10m,number=2/1h,prefix=1000/1h,target=1000/1h,global=1000/1h',
};

/** How the fake Mobtexting answers `voice/c2c`: accepts, or never answers. */
export type MobtextingReply = 'accept' | 'hang';

/**
 * The world outside the Worker, as the test plays it: Mobtexting's API and the site's
 * hook endpoint. It outlives a restart of the Worker, as the real ones would.
 */
export interface Outside {
  /** The bodies Mobtexting was sent, as JSON. */
  calls: Record<string, string>[];
  /** The reports the site's hook endpoint received. */
  hooks: Record<string, unknown>[];
  reply: MobtextingReply;
}

export function outside(): Outside {
  return { calls: [], hooks: [], reply: 'accept' };
}

/** A relay Worker running in workerd, reached over real HTTP. */
export interface WorkerRelay {
  /** `http://127.0.0.1:PORT`: the Worker's address. */
  origin: string;
  /** Every line the Worker logged (its JSON log), so far. */
  logs: string[];
  /** Every answer the Worker gave through {@link fetch} but event streams: its headers, then its body. */
  answers: string[];
  /** A request to a path of the Worker, from a page of {@link SITE} at `ip`. */
  fetch(path: string, init?: RequestInit & { ip?: string }): Promise<Response>;
  /** Opens the event stream at a path of the Worker, from a page of {@link SITE}. */
  stream(path: string): Promise<SseReader>;
  /** A JSON POST to a path of the Worker, from a page of {@link SITE} at `ip`. */
  post(path: string, body: unknown, options?: { ip?: string; headers?: Record<string, string> }): Promise<Response>;
  /** Stops workerd: the object's storage stays in the persistence folder, if any. */
  stop(): Promise<void>;
}

/** How to start a relay Worker. */
export interface WorkerRelayOptions {
  /** The folder of the objects' storage: the same one again is a restart with what was kept. */
  persist?: string;
  /** Variables beside (or instead of, when `undefined`) {@link WORKER_VARS}. */
  vars?: Record<string, string | undefined>;
  /** The Worker's main module; default the built `dist/workers/worker.js`. */
  script?: string;
  /** The Durable Object class bound as `RELAY`; default `RelayObject`. */
  className?: string;
  /** The Worker's static assets, answered by the test. */
  assets?: (request: Request) => Response;
  world?: Outside;
}

/**
 * A request on a connection of its own, as `fetch` answers it. workerd closes a
 * keep-alive connection that has been idle a while, and a pooled `fetch` may send its
 * next request on one just as it closes (ECONNRESET); a fresh connection never races.
 */
export function freshFetch(url: string, init: RequestInit = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const method = init.method ?? 'GET';
    const headers = Object.fromEntries(new Headers(init.headers));
    const request = httpRequest(url, { method, headers, agent: false, signal: init.signal ?? undefined }, (res) => {
      const answered = new Headers();
      for (const [name, value] of Object.entries(res.headers)) {
        for (const one of [value ?? []].flat()) answered.append(name, one);
      }
      const empty = method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304;
      const body = empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
      resolve(new Response(body, { status: res.statusCode, headers: answered }));
    });
    request.on('error', reject);
    request.end(typeof init.body === 'string' ? init.body : undefined);
  });
}

/** A folder removed when the test file ends. */
export function tempFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Starts the relay Worker in workerd through Miniflare: the object `RELAY` on SQLite
 * storage, the variables of a site, and every request the Worker sends out answered by
 * the test (`outboundService`), so nothing leaves the machine. When it is stopped, no log
 * line and no answer may hold a secret.
 */
export async function startWorkerRelay(options: WorkerRelayOptions = {}): Promise<WorkerRelay> {
  const world = options.world ?? outside();
  const hanging: (() => void)[] = [];
  const logs: string[] = [];
  const vars = Object.fromEntries(
    Object.entries({ ...WORKER_VARS, ...options.vars }).filter((entry): entry is [string, string] => !!entry[1]),
  );
  const script = options.script ?? WORKER_SCRIPT;
  const mf = new Miniflare({
    modules: true,
    scriptPath: script,
    // Module names are relative to this folder, which must hold every module the script imports.
    modulesRoot: dirname(script),
    modulesRules: [{ type: 'ESModule', include: ['**/*.js'] }],
    compatibilityDate: COMPATIBILITY_DATE,
    durableObjects: { RELAY: { className: options.className ?? 'RelayObject', useSQLite: true } },
    ...(options.persist && { durableObjectsPersist: options.persist }),
    bindings: vars,
    ...(options.assets && { serviceBindings: { ASSETS: options.assets } }),
    outboundService: async (request: MiniflareRequest) => {
      const url = new URL(request.url);
      if (url.href === `${MOBTEXTING_BASE}voice/c2c`) {
        world.calls.push(JSON.parse(await request.text()) as Record<string, string>);
        if (world.reply === 'hang') {
          return new Promise<Response>((resolve) => hanging.push(() => resolve(new Response(null, { status: 503 }))));
        }
        return Response.json({ callId: crypto.randomUUID(), message: 'call initiated successfully', status: 200 });
      }
      if (url.href === HOOK_URL) {
        // A slow endpoint: the hook is still running when the relay has answered.
        await new Promise((resolve) => setTimeout(resolve, 200));
        world.hooks.push((await request.json()) as Record<string, unknown>);
        return new Response(null, { status: 204 });
      }
      return new Response('no such host in this test', { status: 502 });
    },
    handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
      for (const stream of [stdout, stderr]) {
        stream.setEncoding('utf8');
        stream.on('data', (text: string) => logs.push(...text.split('\n').filter(Boolean)));
      }
    },
  });
  let origin: string;
  try {
    origin = (await mf.ready).origin;
  } catch (err) {
    // A runtime that did not start still holds its process: stop it, and say what it said.
    await mf.dispose();
    throw new Error(`workerd did not start:\n${logs.join('\n')}`, { cause: err });
  }
  const answers: string[] = [];
  const send: WorkerRelay['fetch'] = async (path, init = {}) => {
    const { ip = '203.0.113.10', ...rest } = init;
    const headers = new Headers(rest.headers);
    if (!headers.has('origin')) headers.set('Origin', SITE);
    headers.set('CF-Connecting-IP', ip);
    const response = await freshFetch(`${origin}${path}`, { ...rest, headers });
    if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
      const head = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
      answers.push(`${response.status}\n${head}\n\n${await response.clone().text()}`);
    }
    return response;
  };
  return {
    origin,
    logs,
    answers,
    fetch: send,
    stream: (path) => openSse(`${origin}${path}`, { Origin: SITE }, freshFetch),
    post: (path, body, { ip, headers = {} } = {}) =>
      send(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
        ...(ip && { ip }),
      }),
    stop: async () => {
      for (const release of hanging) release();
      await mf.dispose();
      const secrets = [TEST_TOKEN, TEST_WEBHOOK_SECRET, TICKET_SECRET];
      const leaked = logs.filter((line) => secrets.some((secret) => line.includes(secret)));
      assert.deepEqual(leaked, [], 'a secret was seen in a log line');
      const shown = answers.filter((answer) => secrets.some((secret) => answer.includes(secret)));
      assert.deepEqual(shown, [], 'a secret was seen in an answer');
    },
  };
}

/**
 * A Worker script that uses the built one as a site would to add hooks: a subclass of
 * `RelayObject`, `HookedRelay`, whose `onCallEnded` posts each report to {@link HOOK_URL},
 * and whose clock runs `TEST_CLOCK_OFFSET_MS` ahead of the runtime's (so that a call is
 * overdue at once after a restart). Answers the script's path, in a folder of its own.
 */
export function hookedWorkerScript(): string {
  const dir = tempFolder('mt-c2c-hooked-worker-');
  copyFileSync(WORKER_SCRIPT, join(dir, 'worker.js'));
  writeFileSync(
    join(dir, 'site-worker.js'),
    `import relayWorker, { RelayObject } from './worker.js';
export default relayWorker;
export class HookedRelay extends RelayObject {
  relayOptions(env) {
    const offset = Number(env.TEST_CLOCK_OFFSET_MS ?? 0);
    return {
      now: () => Date.now() + offset,
      onCallEnded: async (report) => {
        await fetch(${JSON.stringify(HOOK_URL)}, { method: 'POST', body: JSON.stringify(report) });
      },
    };
  }
}
`,
  );
  return join(dir, 'site-worker.js');
}

let numbers = 0;
/** A visitor's number no other test uses. */
export function visitorNumber(): string {
  return `+91 98765 ${String(10_000 + ++numbers).slice(-5)}`;
}

/** Mobtexting's completion report of a call, as it sends it (numbers unquoted). */
export function completionReport(call: Record<string, string>, status = 'COMPLETED'): string {
  return `{"bridge": ${call.bridge}, "from": ${call.from}, "to": ${call.to}, "source": "C2C",
    "start_at": "2026-11-26 16:27:39", "end_at": "2026-11-26 16:27:55", "duration": "16", "billing": "16",
    "status": "${status}", "status1": "ANSWER", "status2": "ANSWER", "mid": "${call.mid}"}`;
}

/** The callback slots the target `sales` offers now, earliest first, as ISO instants. */
export async function slotsOnOffer(relay: WorkerRelay): Promise<string[]> {
  const response = await relay.fetch('/c2c/targets/sales/availability');
  assert.equal(response.status, 200);
  const { slots } = (await response.json()) as { slots: { at: string; left: number }[] };
  return slots.map((slot) => slot.at);
}

/** Books a callback at `at` for a new number; answers the booking's call id. */
export async function book(relay: WorkerRelay, at: string, ip: string): Promise<string> {
  const response = await relay.post('/c2c/calls', { phone: visitorNumber(), target: 'sales', at }, { ip });
  assert.equal(response.status, 202, await response.clone().text());
  const booked = (await response.json()) as { callId: string; state: string; at: string };
  assert.deepEqual([booked.state, booked.at], ['scheduled', at]);
  return booked.callId;
}

/** Posts a completion report to the Worker's webhook, as Mobtexting does. */
export function postReport(relay: WorkerRelay, call: Record<string, string>, status = 'COMPLETED'): Promise<Response> {
  return relay.fetch('/c2c/webhooks/mobtexting', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TEST_WEBHOOK_SECRET}` },
    body: completionReport(call, status),
  });
}
