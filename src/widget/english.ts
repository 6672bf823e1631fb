import { TICKET_ENGLISH } from './crm/english.js';
import { LAUNCHER_ENGLISH } from './launcher/english.js';
import { ENGLISH, type WidgetStrings } from './strings.js';

/**
 * Every English text of the widget, for pages and tests that want them all at once (the
 * widget itself takes those of its CRM and launcher chunks from those chunks).
 */
export const ENGLISH_STRINGS: WidgetStrings = { ...ENGLISH, ...TICKET_ENGLISH, ...LAUNCHER_ENGLISH };
