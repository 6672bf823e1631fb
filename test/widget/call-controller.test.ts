import { expect, waitUntil } from '@open-wc/testing';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallState, PublicCall } from '../../src/protocol/index.js';
import { CallController, LATE_AFTER_MS, type Recovery } from '../../src/widget/call-controller.js';
import type { MtCallErrorEvent } from '../../src/widget/events.js';
import type { RequestFailure } from '../../src/widget/relay-client.js';

// The call controller on its own, against a relay in memory: no server, no element.

/** A host that notes what the controller asks of it. */
class Host extends EventTarget implements ReactiveControllerHost {
  controllers: ReactiveController[] = [];
  events: Event[] = [];
  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }
  removeController(): void {}
  requestUpdate(): void {}
  get updateComplete(): Promise<boolean> {
    return Promise.resolve(true);
  }
  override dispatchEvent(event: Event): boolean {
    this.events.push(event);
    return super.dispatchEvent(event);
  }
  /** The types of the events fired so far. */
  get fired(): string[] {
    return this.events.map((e) => e.type);
  }
}

/** An event stream the test drives: `report` a state, or `refuse` the stream as a relay without streams does. */
class FakeEventSource extends EventTarget {
  static opened: FakeEventSource[] = [];
  readyState = 1;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    super();
    FakeEventSource.opened.push(this);
  }
  close(): void {
    this.readyState = 2;
  }
  report(call: PublicCall): void {
    this.dispatchEvent(new MessageEvent('state', { data: JSON.stringify(call) }));
  }
  refuse(): void {
    this.readyState = 2;
    this.onerror?.();
  }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

type Route = (init: RequestInit | undefined) => Response | Promise<Response>;

/**
 * A relay in memory: each route (`POST /c2c/calls`…) answers as the test sets it, and
 * every request is noted. A request to a route not set fails as a network failure does.
 */
function fakeRelay() {
  const routes = new Map<string, Route>();
  const requests: string[] = [];
  const net = {
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const route = `${init?.method ?? 'GET'} ${new URL(String(input), location.href).pathname}`;
      requests.push(route);
      const answer = routes.get(route);
      if (!answer) throw new TypeError('Failed to fetch');
      return answer(init);
    },
    EventSource: FakeEventSource as unknown as typeof EventSource,
  };
  return { routes, requests, net };
}

const realRecovery = (): Promise<Recovery> => import('../../src/widget/recovery/recovery.js');
const noRecovery = (): Promise<undefined> => Promise.resolve(undefined);

const at = new Date(0).toISOString();
const call = (callId: string, state: CallState): PublicCall => ({
  callId,
  state,
  phone: '+91 98••• ••210',
  createdAt: at,
  updatedAt: at,
});

let keys = 0;

/** A controller on a fresh host and relay, keeping its call under a key of its own. */
function setUp(recovery: () => Promise<Recovery | undefined> = realRecovery) {
  const host = new Host();
  const relay = fakeRelay();
  const controller = new CallController(host, {
    recovery,
    describe: (failure: RequestFailure) => `said: ${failure.code}`,
    net: relay.net,
  });
  const key = `/c2c test-${++keys}`;
  relay.routes.set('POST /c2c/calls', () =>
    json(202, { callId: 'call-1', state: 'initiated', phone: '+91 98••• ••210' }),
  );
  return { host, relay, controller, key, start: () => controller.start('/c2c', { phone: '9876543210' }, key) };
}

/** The stream the controller opened last. */
const stream = () => FakeEventSource.opened.at(-1)!;

let controllers: CallController[] = [];

beforeEach(() => {
  sessionStorage.clear();
  FakeEventSource.opened = [];
});

// Each test ends with its controller off the page: its streams closed, its timers stopped.
afterEach(() => {
  for (const controller of controllers) controller.hostDisconnected();
  controllers = [];
});

function track<T extends { controller: CallController }>(made: T): T {
  controllers.push(made.controller);
  return made;
}

describe('CallController', () => {
  describe('a call the relay accepts', () => {
    it('is submitting while the relay is asked', async () => {
      const { controller, start } = track(setUp());
      const started = start();
      expect(controller.state).to.equal('submitting');
      expect(controller.busy).to.be.true;
      await started;
    });

    it('is initiated once accepted, fires initiated then state, and keeps the call in the tab', async () => {
      const { host, controller, key, start } = track(setUp());
      await start();
      expect(controller.state).to.equal('initiated');
      expect(controller.call?.callId).to.equal('call-1');
      expect(controller.startedAt).to.be.a('number');
      expect(host.fired).to.deep.equal(['mt-call-initiated', 'mt-call-state']);
      expect(JSON.parse(sessionStorage.getItem(`mt-click-to-call:${key}`)!).callId).to.equal('call-1');
    });

    it('follows the call’s stream to its final state, fires state then end, and forgets the kept call', async () => {
      const { host, controller, key, start } = track(setUp());
      await start();
      expect(stream().url).to.equal('/c2c/calls/call-1/events');
      stream().report(call('call-1', 'busy'));
      expect(controller.state).to.equal('busy');
      expect(controller.busy).to.be.false;
      expect(host.fired).to.deep.equal(['mt-call-initiated', 'mt-call-state', 'mt-call-state', 'mt-call-end']);
      expect(sessionStorage.getItem(`mt-click-to-call:${key}`)).to.be.null;
      expect(stream().readyState, 'the stream is closed').to.equal(2);
    });

    it('starts one call however often it is asked while one is under way', async () => {
      const { relay, start } = track(setUp());
      const first = start();
      await start();
      await first;
      await start();
      expect(relay.requests.filter((r) => r === 'POST /c2c/calls')).to.have.length(1);
    });
  });

  describe('a booked callback', () => {
    const slot = '2030-01-02T04:30:00.000Z';
    const book = (relay: ReturnType<typeof fakeRelay>) =>
      relay.routes.set('POST /c2c/calls', () =>
        json(202, { callId: 'call-1', state: 'scheduled', at: slot, phone: '+91 98••• ••210' }),
      );

    it('is scheduled, fires scheduled then state, follows the call, and is kept from its time', async () => {
      const { host, relay, controller, key, start } = track(setUp());
      book(relay);
      await start();
      expect(controller.state).to.equal('scheduled');
      expect(controller.call).to.include({ callId: 'call-1', at: slot });
      expect(controller.startedAt, 'it does not ring yet').to.be.undefined;
      expect(controller.busy, 'no second call meanwhile').to.be.true;
      expect(host.fired).to.deep.equal(['mt-call-scheduled', 'mt-call-state']);
      expect(host.events[0]).to.include({ callId: 'call-1', at: slot });
      expect(stream().url).to.equal('/c2c/calls/call-1/events');
      expect(JSON.parse(sessionStorage.getItem(`mt-click-to-call:${key}`)!).at).to.equal(Date.parse(slot));
    });

    it('rings from when it is dialled, then ends as the relay reports', async () => {
      const { controller, relay, start } = track(setUp());
      book(relay);
      await start();
      const before = Date.now();
      stream().report(call('call-1', 'initiated'));
      expect(controller.state).to.equal('initiated');
      expect(controller.startedAt).to.be.at.least(before);
      expect(controller.late).to.be.false;
      stream().report(call('call-1', 'completed'));
      expect(controller.state).to.equal('completed');
      expect(stream().readyState).to.equal(2);
    });
  });

  describe('states the relay reports', () => {
    it('changes nothing for a repeated state', async () => {
      const { host, controller, start } = track(setUp());
      await start();
      controller.update(call('call-1', 'initiated'));
      expect(host.fired).to.deep.equal(['mt-call-initiated', 'mt-call-state']);
    });

    it('changes nothing for another call’s state', async () => {
      const { controller, start } = track(setUp());
      await start();
      controller.update(call('call-2', 'completed'));
      expect(controller.state).to.equal('initiated');
    });

    it('changes nothing once the call is final', async () => {
      const { host, controller, start } = track(setUp());
      await start();
      controller.update(call('call-1', 'no-answer'));
      controller.update(call('call-1', 'completed'));
      expect(controller.state).to.equal('no-answer');
      expect(host.fired.filter((type) => type === 'mt-call-end')).to.have.length(1);
    });
  });

  describe('a refusal', () => {
    it('is an error with the relay’s failure, fired with the visitor’s sentence', async () => {
      const { host, relay, controller, start } = track(setUp());
      relay.routes.set('POST /c2c/calls', () =>
        json(422, { error: { code: 'invalid_phone', message: 'Not a number.', field: 'phone' } }),
      );
      await start();
      expect(controller.state).to.equal('error');
      expect(controller.failure).to.deep.include({ code: 'invalid_phone', field: 'phone' });
      expect(controller.busy).to.be.false;
      const error = host.events.at(-1) as MtCallErrorEvent;
      expect(error.type).to.equal('mt-call-error');
      expect(error.message).to.equal('said: invalid_phone');
      expect(error.field).to.equal('phone');
    });

    it('holds a rate limit until retryAt', async () => {
      const { host, relay, controller, start } = track(setUp());
      relay.routes.set('POST /c2c/calls', () =>
        json(429, { error: { code: 'rate_limited', message: 'Too many.' } }, { 'Retry-After': '30' }),
      );
      const before = Date.now();
      await start();
      expect(controller.state).to.equal('error');
      expect(controller.retryAt).to.be.within(before + 30_000, Date.now() + 30_000);
      expect(controller.rateLimited).to.be.true;
      expect((host.events.at(-1) as MtCallErrorEvent).retryAfter).to.equal(30);
    });

    it('is judged by its status when the body is not the relay’s', async () => {
      const { relay, controller, start } = track(setUp());
      relay.routes.set('POST /c2c/calls', () => new Response('<h1>Bad gateway</h1>', { status: 502 }));
      await start();
      expect(controller.failure).to.deep.equal({ code: 'upstream_error' });
    });

    it('tells a relay that refuses this page’s origin from one that cannot be reached', async () => {
      const { relay, controller, start } = track(setUp());
      relay.routes.delete('POST /c2c/calls');
      relay.routes.set('GET /c2c/access', () => json(200, { allowed: false }));
      await start();
      expect(controller.failure).to.deep.equal({ code: 'origin_not_allowed' });
    });

    it('is a network failure where the relay cannot be reached at all', async () => {
      const { relay, controller, start } = track(setUp());
      relay.routes.delete('POST /c2c/calls');
      await start();
      expect(controller.failure).to.deep.equal({ code: 'network' });
    });

    it('is told as it came when the recovery chunk cannot be loaded', async () => {
      const { relay, controller, start } = track(setUp(noRecovery));
      relay.routes.delete('POST /c2c/calls');
      relay.routes.set('GET /c2c/access', () => json(200, { allowed: false }));
      await start();
      expect(controller.state).to.equal('error');
      expect(controller.failure).to.deep.equal({ code: 'network' });
      expect(relay.requests, 'no origin check without the chunk').not.to.include('GET /c2c/access');
    });
  });

  describe('a new start', () => {
    it('clears the last outcome', async () => {
      const { controller, start } = track(setUp());
      await start();
      stream().report(call('call-1', 'completed'));
      const again = start();
      expect(controller.state).to.equal('submitting');
      expect(controller.call).to.be.undefined;
      await again;
      expect(controller.state).to.equal('initiated');
    });

    it('clears the last refusal', async () => {
      const { relay, controller, start } = track(setUp());
      relay.routes.set('POST /c2c/calls', () => json(409, { error: { code: 'call_in_progress', message: 'Busy.' } }));
      await start();
      const again = start();
      expect(controller.failure).to.be.undefined;
      expect(controller.state).to.equal('submitting');
      await again;
    });
  });

  describe('reset', () => {
    it('goes back to idle and forgets the outcome and the rate limit', async () => {
      const { relay, controller, start } = track(setUp());
      relay.routes.set('POST /c2c/calls', () =>
        json(429, { error: { code: 'rate_limited', message: 'Too many.', retryAfter: 30 } }),
      );
      await start();
      controller.reset();
      expect(controller.state).to.equal('idle');
      expect(controller.failure).to.be.undefined;
      expect(controller.retryAt).to.be.undefined;
      expect(controller.rateLimited).to.be.false;
    });

    it('abandons a call being followed: its stream closes', async () => {
      const { controller, start } = track(setUp());
      await start();
      controller.reset();
      expect(controller.state).to.equal('idle');
      expect(stream().readyState).to.equal(2);
    });

    it('abandons a request under way: its answer changes nothing', async () => {
      const { host, relay, controller, start } = track(setUp());
      let answer: (response: Response) => void = () => {};
      relay.routes.set('POST /c2c/calls', () => new Promise((resolve) => (answer = resolve)));
      const started = start();
      controller.reset();
      answer(json(202, { callId: 'call-1', state: 'initiated', phone: '+91 98••• ••210' }));
      await started;
      expect(controller.state).to.equal('idle');
      expect(host.fired).to.deep.equal([]);
    });
  });

  describe('after a reload', () => {
    const keep = (key: string, callId: string, acceptedAt: number) =>
      sessionStorage.setItem(`mt-click-to-call:${key}`, JSON.stringify({ callId, at: acceptedAt }));

    it('picks up the call the page kept, from when the relay accepted it, and follows it', async () => {
      const { controller, relay, key } = track(setUp());
      const acceptedAt = Date.now() - 5000;
      keep(key, 'kept-1', acceptedAt);
      relay.routes.set('GET /c2c/calls/kept-1', () => json(200, call('kept-1', 'initiated')));
      await controller.resume('/c2c', key);
      expect(controller.state).to.equal('initiated');
      expect(controller.startedAt).to.equal(acceptedAt);
      expect(stream().url).to.equal('/c2c/calls/kept-1/events');
    });

    it('shows a kept call that ended meanwhile as it ended, and forgets it', async () => {
      const { controller, relay, key } = track(setUp());
      keep(key, 'kept-2', Date.now());
      relay.routes.set('GET /c2c/calls/kept-2', () => json(200, call('kept-2', 'completed')));
      await controller.resume('/c2c', key);
      expect(controller.state).to.equal('completed');
      expect(sessionStorage.getItem(`mt-click-to-call:${key}`)).to.be.null;
      expect(FakeEventSource.opened, 'nothing left to follow').to.have.length(0);
    });

    it('forgets a kept call the relay no longer knows', async () => {
      const { controller, relay, key } = track(setUp());
      keep(key, 'gone-1', Date.now());
      relay.routes.set('GET /c2c/calls/gone-1', () => json(404, { error: { code: 'unknown_call', message: 'No.' } }));
      await controller.resume('/c2c', key);
      expect(controller.state).to.equal('idle');
      expect(sessionStorage.getItem(`mt-click-to-call:${key}`)).to.be.null;
    });

    it('keeps the call for the next load when the relay cannot be reached', async () => {
      const { controller, key } = track(setUp());
      keep(key, 'kept-3', Date.now());
      await controller.resume('/c2c', key);
      expect(controller.state).to.equal('idle');
      expect(sessionStorage.getItem(`mt-click-to-call:${key}`)).not.to.be.null;
    });

    it('asks nothing, and loads no chunk, when nothing was kept', async () => {
      let loaded = false;
      const { controller, relay, key } = track(
        setUp(() => {
          loaded = true;
          return realRecovery();
        }),
      );
      await controller.resume('/c2c', key);
      expect(relay.requests).to.deep.equal([]);
      expect(loaded).to.be.false;
    });

    it('does not take a kept call over a call started meanwhile', async () => {
      const { controller, relay, key, start } = track(setUp());
      keep(key, 'kept-4', Date.now());
      let answer: (response: Response) => void = () => {};
      relay.routes.set('GET /c2c/calls/kept-4', () => new Promise((resolve) => (answer = resolve)));
      const resumed = controller.resume('/c2c', key);
      await waitUntil(() => relay.requests.includes('GET /c2c/calls/kept-4'), 'the kept call is asked for');
      await start();
      answer(json(200, call('kept-4', 'initiated')));
      await resumed;
      expect(controller.call?.callId).to.equal('call-1');
    });
  });

  describe('a late call', () => {
    it('is late once its ringing time has passed with no outcome', async () => {
      const { controller, relay, key } = track(setUp());
      sessionStorage.setItem(
        `mt-click-to-call:${key}`,
        JSON.stringify({ callId: 'late-1', at: Date.now() - LATE_AFTER_MS }),
      );
      relay.routes.set('GET /c2c/calls/late-1', () => json(200, call('late-1', 'initiated')));
      await controller.resume('/c2c', key);
      expect(controller.state).to.equal('initiated');
      expect(controller.late).to.be.true;
      expect(controller.busy, 'still under way: no second call').to.be.true;
    });

    it('is not late before then', async () => {
      const { controller, start } = track(setUp());
      await start();
      expect(controller.late).to.be.false;
    });

    it('still ends when the relay settles it', async () => {
      const { controller, relay, key } = track(setUp());
      sessionStorage.setItem(
        `mt-click-to-call:${key}`,
        JSON.stringify({ callId: 'late-2', at: Date.now() - LATE_AFTER_MS }),
      );
      relay.routes.set('GET /c2c/calls/late-2', () => json(200, call('late-2', 'initiated')));
      await controller.resume('/c2c', key);
      stream().report(call('late-2', 'unknown'));
      expect(controller.state).to.equal('unknown');
      expect(controller.late).to.be.false;
    });
  });

  describe('where the stream fails', () => {
    it('polls the call’s state instead', async () => {
      const { controller, relay, start } = track(setUp());
      relay.routes.set('GET /c2c/calls/call-1', () => json(200, call('call-1', 'no-answer')));
      await start();
      stream().refuse();
      await waitUntil(() => controller.state === 'no-answer', `no-answer, still ${controller.state}`);
      expect(relay.requests).to.include('GET /c2c/calls/call-1');
    });

    it('ends as unknown when the recovery chunk cannot be loaded to poll', async () => {
      const { controller, start } = track(setUp(noRecovery));
      await start();
      stream().refuse();
      await waitUntil(() => controller.state === 'unknown', `unknown, still ${controller.state}`);
    });
  });

  describe('its host leaving the page', () => {
    it('abandons a request under way and goes back to idle', async () => {
      const { host, relay, controller, start } = track(setUp());
      let signal: AbortSignal | undefined;
      relay.routes.set('POST /c2c/calls', (init) => {
        signal = init?.signal ?? undefined;
        return new Promise(() => {});
      });
      void start();
      await waitUntil(() => signal, 'the request is sent');
      controller.hostDisconnected();
      expect(signal!.aborted).to.be.true;
      expect(controller.state).to.equal('idle');
      expect(host.fired).to.deep.equal([]);
    });

    it('stops following a call, and follows it again on its return', async () => {
      const { controller, start } = track(setUp());
      await start();
      const first = stream();
      controller.hostDisconnected();
      expect(first.readyState).to.equal(2);
      controller.hostConnected();
      expect(stream()).not.to.equal(first);
      stream().report(call('call-1', 'completed'));
      expect(controller.state).to.equal('completed');
    });
  });
});
