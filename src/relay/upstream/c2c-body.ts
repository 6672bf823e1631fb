/**
 * The JSON body of `POST {base}voice/c2c`, field for field as Mobtexting documents it:
 * numbers are digits with country code and no `+`, `record` is "0" or "1", variables are
 * flat `variables[Name]` keys.
 */
export interface C2cBody {
  bridge: string;
  from: string;
  to: string;
  mid: string;
  record: '0' | '1';
  webhook_id?: string;
  duration?: string;
  attempts?: string;
  [variable: `variables[${string}]`]: string;
}

/** What goes into one Click2Call request. */
export interface C2cCall {
  bridge: string;
  /** The leg rung first. */
  from: string;
  /** The second leg: a number or `flow:ID`. */
  to: string;
  /** The relay's call id, sent as Mobtexting's `mid`. */
  callId: string;
  record: boolean;
  duration?: number;
  attempts?: number;
  webhookId?: string;
  variables?: Record<string, string>;
}

/** Builds the request body for one call. */
export function buildC2cBody(call: C2cCall): C2cBody {
  const body: C2cBody = {
    bridge: call.bridge,
    from: call.from,
    to: call.to,
    mid: call.callId,
    record: call.record ? '1' : '0',
  };
  if (call.webhookId !== undefined) body.webhook_id = call.webhookId;
  if (call.duration !== undefined) body.duration = String(call.duration);
  if (call.attempts !== undefined) body.attempts = String(Math.min(call.attempts, 2));
  for (const [name, value] of Object.entries(call.variables ?? {})) body[`variables[${name}]`] = value;
  return body;
}
