import * as z from 'zod';
import { builtOnFirstUse } from '../config/built-on-first-use.js';

/** Mobtexting's completion report, as the relay reads it. */
const reportSchema = builtOnFirstUse(() => {
  /** A leg as Mobtexting reports it: a bare JSON number, a digit string, or `flow:ID`. */
  const leg = z
    .union([z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), z.string().max(40)])
    .transform((value) => {
      const text = String(value).trim();
      return /^flow:/i.test(text) ? text.toLowerCase() : text.replace(/[\s+()-]/g, '');
    })
    .pipe(z.string().regex(/^(\d{4,15}|flow:\d{1,12})$/, 'must be a number or flow:ID'));

  /** Seconds, sent as a string in the document's example, sometimes as a number. */
  const seconds = z
    .union([z.number(), z.string().max(12)])
    .optional()
    .transform((value) => {
      const n = Number(value);
      return value === undefined || value === '' || !Number.isFinite(n) || n < 0 ? undefined : Math.round(n);
    });

  const status = z
    .string()
    .max(32)
    .optional()
    .transform((value) => (value ?? '').trim().toUpperCase());

  const text = (max: number) =>
    z
      .union([z.string().max(max), z.number()])
      .optional()
      .transform((v) => (v === undefined ? undefined : String(v)));

  return z.looseObject({
    bridge: leg,
    from: leg,
    to: leg,
    status,
    status1: status,
    status2: status,
    duration: seconds,
    billing: seconds,
    recording_url: z.string().max(2048).optional(),
    hangup_by: text(32),
    source: text(32),
    start_at: text(32),
    end_at: text(32),
    date: text(32),
    unixtime: text(20),
    webhook_id: text(64),
    mid: text(64),
    callId: text(64),
  });
});

/** A click-to-call completion report, normalised: numbers as digit strings, statuses upper-case. */
export interface CallReport {
  bridge: string;
  from: string;
  to: string;
  status: string;
  status1: string;
  status2: string;
  /** Seconds of the first leg. */
  duration?: number;
  /** Seconds of the second leg. */
  billing?: number;
  recordingUrl?: string;
  /** An id the report may carry: the relay's `mid`, or a `callId`. */
  reference?: string;
  /** The body as received. */
  raw: Record<string, unknown>;
}

/**
 * Reads Mobtexting's completion webhook. Accepts the document's example as printed
 * (bare-number legs, string durations and times) and every field of its callback table;
 * fields it does not know are kept in `raw`.
 *
 * @returns the report, or a sentence saying what is wrong with the body.
 */
export function parseReport(body: unknown): { ok: true; report: CallReport } | { ok: false; problem: string } {
  const result = reportSchema().safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    return {
      ok: false,
      problem: issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : 'the body must be a JSON object',
    };
  }
  const r = result.data;
  return {
    ok: true,
    report: {
      bridge: r.bridge,
      from: r.from,
      to: r.to,
      status: r.status,
      status1: r.status1,
      status2: r.status2,
      ...(r.duration !== undefined && { duration: r.duration }),
      ...(r.billing !== undefined && { billing: r.billing }),
      ...(r.recording_url && { recordingUrl: r.recording_url }),
      ...((r.mid ?? r.callId) !== undefined && { reference: r.mid ?? r.callId }),
      raw: body as Record<string, unknown>,
    },
  };
}

/** Whether a body is the webhook's creation handshake, `{validation_key, challenge}`. */
export function handshakeChallenge(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { validation_key, challenge } = body as Record<string, unknown>;
  return validation_key !== undefined && (typeof challenge === 'string' || typeof challenge === 'number')
    ? String(challenge)
    : undefined;
}

/** What identifies one delivery of a report, so that a repeat is recognised. */
export function reportFingerprint(report: CallReport): string {
  const raw = report.raw;
  return [
    report.bridge,
    report.from,
    report.to,
    report.status,
    report.status1,
    report.status2,
    raw.start_at,
    raw.end_at,
    raw.unixtime,
    report.reference,
  ].join('|');
}
