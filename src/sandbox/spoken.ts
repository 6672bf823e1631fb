import type { SandboxOutcome } from './outcomes.js';

/** What the sandbox's simulated IVR flow said on one call: the flow's variables, spoken. */
export interface SpokenMessage {
  /** The number that heard it: digits with country code. */
  to: string;
  /** The flow that spoke, `flow:ID`. */
  flow: string;
  /** The variables as they were spoken (on a misheard call, every digit one off). */
  variables: Record<string, string>;
  /** What the flow said, as text: `otp: 482913`. */
  text: string;
  /** When it was said, epoch milliseconds. */
  at: number;
}

/** How many spoken messages the sandbox keeps: the most recent ones. */
const MAX_KEPT = 1000;

/** The values of a Click2Call body's `variables[Name]` keys, by name. */
export function flowVariables(body: Record<string, unknown>): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    const name = /^variables\[(\w+)\]$/.exec(key)?.[1];
    if (name !== undefined) variables[name] = String(value);
  }
  return variables;
}

/**
 * Whether a flow call with this outcome is heard: the visitor answered and the flow
 * played. A busy, unanswered, unreachable or canceled call, or a failed request, is not.
 */
export function isHeard(outcome: SandboxOutcome | undefined): boolean {
  return outcome === undefined || outcome === 'completed' || outcome === 'misheard' || outcome === 'no-report';
}

/** Every digit one higher (9 becomes 0): what a misheard call's visitor takes down. */
function mishear(value: string): string {
  return value.replace(/\d/g, (digit) => String((Number(digit) + 1) % 10));
}

/** The messages the sandbox's flows spoke, the latest per number found at once. */
export class SpokenLog {
  readonly #messages: SpokenMessage[] = [];

  /** Records what a flow said to a number; answers the message. */
  add(to: string, flow: string, sent: Record<string, string>, outcome: SandboxOutcome | undefined): SpokenMessage {
    const variables = Object.fromEntries(
      Object.entries(sent).map(([name, value]) => [name, outcome === 'misheard' ? mishear(value) : value]),
    );
    const text = Object.entries(variables)
      .map(([name, value]) => `${name}: ${value}`)
      .join(', ');
    const message = { to, flow, variables, text, at: Date.now() };
    this.#messages.push(message);
    if (this.#messages.length > MAX_KEPT) this.#messages.splice(0, this.#messages.length - MAX_KEPT);
    return message;
  }

  /** The last message spoken to a number (written any way: `+91 98765 43210` works). */
  latest(number: string): SpokenMessage | undefined {
    const digits = number.replace(/\D/g, '');
    for (let i = this.#messages.length - 1; i >= 0; i--) {
      if (this.#messages[i]!.to === digits) return this.#messages[i];
    }
    return undefined;
  }
}
