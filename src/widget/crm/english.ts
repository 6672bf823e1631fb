import type { TicketTexts } from '../strings.js';

/** The English texts of ticket (CRM) widgets: said to the agent, who is rung first. */
export const TICKET_ENGLISH: TicketTexts = {
  callTicket: 'Call {label}',
  ticketInitiated: 'Ringing you first, then {label}.',
  ticketLate: 'The call with {label} is under way, or its result is late.',
  ticketStates: {
    completed: 'Call with {label} finished.',
    busy: '{label}’s line was busy.',
    'no-answer': '{label} did not answer.',
    canceled: 'The call to {label} was canceled.',
    unreachable: '{label}’s number could not be reached.',
    'agent-unavailable': 'Your line did not answer, so {label} was not called.',
    failed: 'The call to {label} did not go through.',
    unknown: 'We do not know how the call with {label} went.',
    missed: 'The time for the call to {label} passed.',
  },
  agentBusy: 'You are on another call.',
  ticketInvalid: 'This call button has expired. Reload the page.',
};
