import * as z from 'zod';
import type { FinalCallState } from '../../protocol/index.js';
import { parseWeek, type WeeklyHours } from './hours.js';
import type { SlotRules } from './schedule.js';
import { isTimeZone } from './zone.js';

/** Slot lengths that divide the hour, so that slots start at the same minutes every hour. */
export const SLOT_MINUTES = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60] as const;

/** Outcomes a target may redial after: the visitor could not be connected, and may be later. */
export const RETRYABLE_STATES = ['agent-unavailable', 'no-answer', 'busy', 'unreachable', 'failed'] as const;

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3600_000 };

/**
 * `hours`: `{ "timezone": "Asia/Kolkata", "mon-fri": "09:30-13:00,14:00-18:30", "sat": "10:00-14:00" }`.
 * Keys name days (`mon`, `mon-fri`, `sat,sun`); values are ranges, or `closed`. A day no
 * key names is closed.
 */
export const hoursSchema = z.record(z.string(), z.string()).transform((spec, ctx): WeeklyHours => {
  const timezone = spec.timezone;
  if (timezone === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['timezone'],
      message: 'is required: an IANA time zone such as Asia/Kolkata',
    });
  } else if (!isTimeZone(timezone)) {
    ctx.addIssue({
      code: 'custom',
      path: ['timezone'],
      message: `"${timezone}" is not a known IANA time zone (such as Asia/Kolkata or Europe/London)`,
    });
  }
  const parsed = parseWeek(spec);
  if ('problems' in parsed) {
    for (const { key, message } of parsed.problems) {
      ctx.addIssue({ code: 'custom', path: key ? [key] : [], message });
    }
  }
  if (timezone === undefined || !isTimeZone(timezone) || 'problems' in parsed) return z.NEVER;
  return { timezone, week: parsed.week };
});

/** `holidays`: whole days closed, as `YYYY-MM-DD` in the target's time zone. */
export const holidaysSchema = z
  .array(
    z.string().refine((text) => /^\d{4}-\d{2}-\d{2}$/.test(text) && isRealDate(text), {
      error: (issue) => `"${String(issue.input)}" is not a date like 2026-12-25`,
    }),
  )
  .max(1000);

/** `slots`: `{ minutes, daysAhead, perSlot }`. */
export const slotsSchema = z.strictObject({
  minutes: z
    .number()
    .int()
    .default(15)
    .refine((m) => (SLOT_MINUTES as readonly number[]).includes(m), {
      error: (issue) => `${String(issue.input)} does not divide the hour: use one of ${SLOT_MINUTES.join(', ')}`,
    }),
  daysAhead: z.number().int().min(0).max(30).default(3),
  perSlot: z.number().int().min(1).max(10_000).default(1),
}) satisfies z.ZodType<SlotRules, unknown>;

/** How a target redials after some outcomes. */
export interface RetryRule {
  /** How long after the outcome, in ms; then the first moment the target is open. */
  afterMs: number;
  on: readonly FinalCallState[];
  /** Most redials of one call. */
  max: number;
}

/** `retry`: `{ "after": "10m", "on": ["agent-unavailable"], "max": 1 }`. */
export const retrySchema = z
  .strictObject({
    after: z
      .string()
      .default('10m')
      .transform((text, ctx) => {
        const match = /^(\d+)([smh])$/.exec(text.trim());
        const ms = match ? Number(match[1]) * UNIT_MS[match[2]!]! : NaN;
        if (ms >= 60_000 && ms <= 24 * 3600_000) return ms;
        ctx.addIssue({ code: 'custom', message: `"${text}" must be a delay like 10m, from 1m to 24h` });
        return z.NEVER;
      }),
    on: z
      .array(z.enum(RETRYABLE_STATES, { error: `must name outcomes among ${RETRYABLE_STATES.join(', ')}` }))
      .min(1)
      .default(['agent-unavailable']),
    max: z.number().int().min(1).max(3).default(1),
  })
  .transform(({ after, on, max }): RetryRule => ({ afterMs: after, on, max }));

/** The scheduling settings of a target, as its schema adds them. */
export const schedulingFields = {
  /** When the target answers; calls outside them are refused with `target_closed`. */
  hours: hoursSchema.optional(),
  holidays: holidaysSchema.optional(),
  /** Callback slots the target offers, within its hours. */
  slots: slotsSchema.optional(),
  /** Redial once (or `max` times) after the outcomes it names. */
  retry: retrySchema.optional(),
};

/** The problems of a target's scheduling settings taken together, one line each. */
export function checkScheduling(
  target: { hours?: WeeklyHours; holidays?: string[]; slots?: SlotRules },
  ctx: z.RefinementCtx,
): void {
  if (!target.hours) {
    if (target.holidays) ctx.addIssue({ code: 'custom', path: ['holidays'], message: 'need hours: their time zone' });
    if (target.slots) ctx.addIssue({ code: 'custom', path: ['slots'], message: 'need hours: slots lie within them' });
    return;
  }
  const minutes = target.slots?.minutes;
  const fits = (start: number, end: number) =>
    Math.floor(end / minutes!) * minutes! - Math.ceil(start / minutes!) * minutes!;
  if (minutes !== undefined && !target.hours.week.some((ranges) => ranges.some(([s, e]) => fits(s, e) >= minutes))) {
    ctx.addIssue({ code: 'custom', path: ['slots'], message: `no ${minutes}-minute slot fits in the hours` });
  }
}

function isRealDate(text: string): boolean {
  const at = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(at) && new Date(at).toISOString().startsWith(text);
}
