import { html, nothing, type TemplateResult } from 'lit';

/**
 * A field's error, as part `error`, announced as it appears (`role=alert`, only while
 * shown), with the id `<field>-error` that the field's `aria-describedby` names.
 */
export function fieldError(field: string, message: string | undefined): TemplateResult | typeof nothing {
  return message ? html`<p part="error" id="${field}-error" role="alert">${message}</p>` : nothing;
}
