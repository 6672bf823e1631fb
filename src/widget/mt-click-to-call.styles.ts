import { css } from 'lit';

/**
 * The widget's look. Public custom properties (`--mt-c2c-*`) feed private ones (`--_*`)
 * whose fallbacks change with the colour scheme, so a host's value always wins.
 */
export const styles = css`
  :host {
    --_text: var(--mt-c2c-text-color, #1f2328);
    --_muted: var(--mt-c2c-muted-color, #57606a);
    --_background: var(--mt-c2c-background, #ffffff);
    --_border: var(--mt-c2c-border-color, #6e7781);
    --_accent: var(--mt-c2c-accent, #0b57d0);
    --_on-accent: var(--mt-c2c-on-accent, #ffffff);
    --_error: var(--mt-c2c-error-color, #b3261e);
    --_success: var(--mt-c2c-success-color, #146c2e);
    --_radius: var(--mt-c2c-radius, 0.5rem);
    --_space: var(--mt-c2c-spacing, 0.75rem);

    display: block;
    max-width: 30rem;
    font-family: var(--mt-c2c-font-family, inherit);
    font-size: var(--mt-c2c-font-size, 1rem);
    line-height: 1.4;
    color: var(--_text);
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --_text: var(--mt-c2c-text-color, #e6edf3);
      --_muted: var(--mt-c2c-muted-color, #a3adb8);
      --_background: var(--mt-c2c-background, #161b22);
      --_border: var(--mt-c2c-border-color, #8b949e);
      --_accent: var(--mt-c2c-accent, #a8c7fa);
      --_on-accent: var(--mt-c2c-on-accent, #062e6f);
      --_error: var(--mt-c2c-error-color, #ffb4ab);
      --_success: var(--mt-c2c-success-color, #7ee2a8);
    }
  }

  :host([hidden]) {
    display: none;
  }

  * {
    box-sizing: border-box;
  }

  form {
    display: grid;
    gap: calc(var(--_space) * 0.66);
    padding: var(--_space);
    border-radius: var(--_radius);
    background: var(--_background);
  }

  p {
    margin: 0;
  }

  [part='label'] {
    font-weight: 600;
  }

  .row {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 0.5);
  }

  .field {
    flex: 1 1 11rem;
    display: flex;
    min-width: 0;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_background);
  }

  .field:focus-within {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }

  .field[data-invalid] {
    border-color: var(--_error);
  }

  [part='country'] {
    display: flex;
    align-items: center;
    padding: 0 0.6em;
    border-right: 1px solid var(--_border);
    color: var(--_muted);
  }

  [part='input'] {
    flex: 1;
    min-width: 0;
    min-height: 2.75rem;
    padding: 0 0.7em;
    border: 0;
    border-radius: var(--_radius);
    background: transparent;
    color: inherit;
    font: inherit;
    outline: none;
  }

  button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5em;
    min-height: 2.75rem;
    padding: 0 1.1em;
    /* Transparent, not none: forced-colours mode draws it, so the button stays visible. */
    border: 1px solid transparent;
    border-radius: var(--_radius);
    background: var(--_accent);
    color: var(--_on-accent);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }

  button:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }

  [part='button'] {
    flex: 0 0 auto;
  }

  [part='retry'] {
    justify-self: start;
    border: 1px solid currentColor;
    background: transparent;
    color: var(--_accent);
  }

  [part='error'] {
    color: var(--_error);
    font-size: 0.9375em;
  }

  [part='consent'] {
    display: flex;
    align-items: flex-start;
    gap: 0.5em;
    font-size: 0.9375em;
  }

  [part='consent'] input {
    margin: 0.2em 0 0;
    accent-color: var(--_accent);
  }

  .elapsed {
    color: var(--_muted);
    font-size: 0.875em;
    font-variant-numeric: tabular-nums;
  }

  :host([state='completed']) [part='status'] {
    color: var(--_success);
  }

  :host([state='error']) [part='status'] {
    color: var(--_error);
  }
`;
