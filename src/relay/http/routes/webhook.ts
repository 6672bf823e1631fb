import { Hono, type Context } from 'hono';
import { handshakeChallenge, parseReport, reportFingerprint } from '../../calls/report.js';
import { settleReport } from '../../calls/settle-report.js';
import type { RelayContext } from '../../context.js';
import { RelayError } from '../../errors.js';
import { parseJson, readBodyText } from '../read-body.js';
import { json, waitUntilOf, type RelayEnv } from '../respond.js';
import { secretMatches } from '../webhook-secret.js';

/** How long a handled report is remembered, to recognise a repeated delivery. */
const REPORT_MEMORY_MS = 7 * 24 * 3600_000;

/**
 * `POST /webhooks/mobtexting`: Mobtexting's completion report, and the handshake it
 * sends when the webhook is created. Authenticated by the webhook secret, as
 * `Authorization: Bearer …` or `?token=…`. A report is handled once: a repeated delivery
 * is recognised and changes nothing.
 */
export function webhookRoutes(relay: RelayContext): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>();
  const { log, store } = relay;

  app.post('/mobtexting', async (c) => {
    const auth = c.req.header('authorization');
    const presented = auth?.match(/^Bearer\s+(.+)$/i)?.[1] ?? c.req.query('token');
    if (!secretMatches(presented, relay.settings.webhookSecret)) {
      log('warn', 'webhook.unauthorized', { ip: relay.clientAddress(c) });
      throw new RelayError('unauthorized', 'This webhook needs its secret.');
    }
    const body = await readWebhookBody(c);
    const challenge = handshakeChallenge(body);
    if (challenge !== undefined) {
      log('info', 'webhook.handshake');
      return json(c, { challenge });
    }
    const parsed = parseReport(body);
    if (!parsed.ok) {
      log('warn', 'webhook.malformed', { problem: parsed.problem });
      throw new RelayError('invalid_request', `The report is malformed: ${parsed.problem}.`);
    }
    const report = parsed.report;
    const fingerprint = reportFingerprint(report);
    if (!(await store.claimOnce('report', fingerprint, REPORT_MEMORY_MS))) {
      log('info', 'webhook.duplicate', { status: report.status });
      return json(c, { received: true, duplicate: true });
    }
    try {
      const result = await settleReport(relay, report, waitUntilOf(c));
      if (!result.matched) return json(c, { received: true, matched: false }, 202);
      return json(c, { received: true, callId: result.callId, state: result.state });
    } catch (err) {
      await store.releaseOnce('report', fingerprint);
      throw err;
    }
  });

  return app;
}

/** Mobtexting sends JSON; a form body (older deployments) is read too. */
async function readWebhookBody(c: Context): Promise<unknown> {
  const text = await readBodyText(c, 16 * 1024);
  if (/^application\/x-www-form-urlencoded/i.test(c.req.header('content-type') ?? '')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  return parseJson(text);
}
