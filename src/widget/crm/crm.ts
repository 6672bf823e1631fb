/**
 * The CRM chunk: what ticket widgets need and the inline form does not. The agent (the
 * line they are on, one call at a time across the page and their tabs; whom a ticket
 * calls; what the widget says to them), the English of all that, and its look.
 */
export { Agent, attach } from './agent.js';
export { TICKET_ENGLISH as english } from './english.js';
export { ticketStyles as styles } from './crm.styles.js';
