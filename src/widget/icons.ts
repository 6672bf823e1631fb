import { html, type TemplateResult } from 'lit';

/** The widget's icons, on a 24-unit grid: the phone filled, the check and cross stroked, in the text colour. */
const PATHS = {
  phone: 'M7 3 4 4c0 9 7 16 16 16l1-3-4-2-2 2c-3-1-6-4-7-7l2-2z',
  check: 'M5 12l5 5L20 7',
  cross: 'M6 6l12 12M18 6 6 18',
};

/** An icon, hidden from screen readers (the text beside it says the same), as part `icon`. */
export function icon(name: keyof typeof PATHS): TemplateResult {
  return html`<svg part="icon" class=${name} viewBox="0 0 24 24" aria-hidden="true"><path d=${PATHS[name]} /></svg>`;
}

/** The spinner shown while the relay is asked, as part `spinner`. */
export const spinner = html`<svg part="spinner" viewBox="0 0 24 24" aria-hidden="true">
  <circle cx="12" cy="12" r="9" />
</svg>`;
