/**
 * The CRM chunk: what ticket widgets need and the inline form does not. The agent's line
 * (one call at a time across the page and the agent's tabs), reading a ticket's label, and
 * the English the widget says to the agent.
 */
export { AgentLine } from './agent-line.js';
export { TICKET_ENGLISH } from './english.js';
export { ticketLabel } from './ticket-label.js';
