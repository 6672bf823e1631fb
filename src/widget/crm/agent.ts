import { fill } from '../shared.js';
import type { FinalCallState } from '../../protocol/index.js';
import type { MtClickToCall } from '../mt-click-to-call.component.js';
import type { WidgetStrings } from '../strings.js';
import { AgentLine } from './agent-line.js';
import { ticketLabel } from './ticket-label.js';

/**
 * The agent at a ticket widget: the line they are on (one call at a time, see
 * `AgentLine`), whom the ticket calls, and what the widget says to them, since the agent
 * is rung first ("Ringing you first, then Asha").
 */
export class Agent {
  readonly #host: MtClickToCall;
  readonly #line: AgentLine;

  constructor(host: MtClickToCall) {
    this.#host = host;
    this.#line = new AgentLine(
      host,
      () => new URL(host.endpoint, document.baseURI).href,
      () => !!host.ticket && (host.state === 'submitting' || host.state === 'initiated'),
    );
    this.#line.watch();
  }

  /** True while the agent is on another ticket button's call, here or in another tab: this one may not call. */
  get isOnAnotherCall(): boolean {
    return !!this.#host.ticket && this.#line.taken;
  }

  /** The Call button's text, naming whom the ticket calls. */
  callText(s: WidgetStrings): string {
    return this.#fill(s.callTicket);
  }

  /**
   * What the status line says to the agent, or `undefined` where the form's own sentence
   * serves (while the relay is asked, a refusal) or the widget has no ticket.
   */
  says(s: WidgetStrings, late: boolean): string | undefined {
    const { state, ticket } = this.#host;
    if (!ticket) return undefined;
    const said =
      state === 'idle'
        ? this.isOnAnotherCall && s.agentBusy
        : late
          ? s.ticketLate
          : state === 'initiated'
            ? s.ticketInitiated
            : s.ticketStates[state as FinalCallState];
    return said ? this.#fill(said) : undefined;
  }

  /** Fills in whom the ticket calls: its label, or the masked number. */
  #fill(template: string): string {
    return fill(template, { label: ticketLabel(this.#host.ticket ?? '') ?? '' });
  }
}

/** The agent of one ticket widget. */
export const attach = (host: MtClickToCall): Agent => new Agent(host);
