import { Hono, type Context } from 'hono';
import { endCall } from '../call-ending.js';
import { RelayError } from '../errors.js';
import { parseJson, readBodyText } from '../read-body.js';
import { json } from '../respond.js';
import type { RelayRuntime } from '../runtime.js';
import { CALL_ID, type CallRecord } from '../store/types.js';
import { callOutcome } from '../webhook/outcome.js';
import { handshakeChallenge, parseReport, reportFingerprint, type CallReport } from '../webhook/report.js';
import { secretMatches } from '../webhook/secret.js';

/** How long a handled report is remembered, to recognise a repeated delivery. */
const REPORT_MEMORY_MS = 7 * 24 * 3600_000;

/**
 * `POST /webhooks/mobtexting`: Mobtexting's completion report, and the handshake it
 * sends when the webhook is created. Authenticated by the webhook secret, as
 * `Authorization: Bearer …` or `?token=…`.
 */
export function webhookRoutes(rt: RelayRuntime): Hono {
  const app = new Hono();

  app.post('/mobtexting', async (c) => {
    const auth = c.req.header('authorization');
    const presented = auth?.match(/^Bearer\s+(.+)$/i)?.[1] ?? c.req.query('token');
    if (!secretMatches(presented, rt.settings.webhookSecret)) {
      rt.log('warn', 'webhook.unauthorized', { ip: rt.clientAddress(c) });
      throw new RelayError('unauthorized', 'This webhook needs its secret.');
    }
    const body = await readWebhookBody(c);
    const challenge = handshakeChallenge(body);
    if (challenge !== undefined) {
      rt.log('info', 'webhook.handshake');
      return json(c, { challenge });
    }
    const parsed = parseReport(body);
    if (!parsed.ok) {
      rt.log('warn', 'webhook.malformed', { problem: parsed.problem });
      throw new RelayError('invalid_request', `The report is malformed: ${parsed.problem}.`);
    }
    return receiveReport(rt, c, parsed.report);
  });

  return app;
}

async function receiveReport(rt: RelayRuntime, c: Context, report: CallReport): Promise<Response> {
  rt.sweeper.start();
  const fingerprint = `report:${reportFingerprint(report)}`;
  if (!(await rt.store.claimOnce(fingerprint, REPORT_MEMORY_MS))) {
    rt.log('info', 'webhook.duplicate', { status: report.status });
    return json(c, { received: true, duplicate: true });
  }
  try {
    const call = await correlate(rt, report);
    if (!call) {
      await rt.store.saveOrphanReport(report.raw, rt.now());
      rt.log('warn', 'webhook.orphan', { status: report.status, bridge: report.bridge });
      return json(c, { received: true, matched: false }, 202);
    }
    const businessLeg = call.visitorLeg === 'from' ? call.to : call.from;
    const state = callOutcome(report, call.visitorLeg, businessLeg.startsWith('flow:'));
    // Talk time is the second leg's: it starts once both sides are connected.
    const talkSeconds = state === 'completed' ? report.billing : undefined;
    const ended = await endCall(rt, call.callId, {
      state,
      at: rt.now(),
      report: report.raw,
      ...(talkSeconds !== undefined && { talkSeconds }),
    });
    if (!ended) {
      // A final state is final: a report after the call was given up as `unknown` is logged only.
      rt.log('warn', 'webhook.late', { callId: call.callId, state: call.state, reported: state });
      return json(c, { received: true, callId: call.callId, state: call.state });
    }
    return json(c, { received: true, callId: call.callId, state });
  } catch (err) {
    await rt.store.releaseOnce(fingerprint);
    throw err;
  }
}

/** The call a report is about: by the id it carries, else the newest open call with its legs. */
async function correlate(rt: RelayRuntime, report: CallReport): Promise<CallRecord | undefined> {
  if (report.reference && CALL_ID.test(report.reference)) {
    const call = await rt.store.getCall(report.reference);
    if (call) return call;
  }
  return rt.store.findOpenCall({ bridge: report.bridge, from: report.from, to: report.to });
}

/** Mobtexting sends JSON; a form body (older deployments) is read too. */
async function readWebhookBody(c: Context): Promise<unknown> {
  const text = await readBodyText(c, 16 * 1024);
  if (/^application\/x-www-form-urlencoded/i.test(c.req.header('content-type') ?? '')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  return parseJson(text);
}
