import { css } from 'lit';

/**
 * The widget's look. Public custom properties (`--mt-c2c-*`) feed private ones (`--_*`)
 * whose fallbacks change with the theme, so a host's value always wins. The theme is light
 * unless the page asks for `dark`, or for `auto` (the operating system's scheme): a light
 * page gets a light widget whatever the system's scheme. The dark defaults come in a
 * chunk, `theme/dark.ts`, loaded when a page asks for them.
 */
export const styles = css`
  :host {
    color-scheme: light;
    --_text: var(--mt-c2c-text-color, #1f2328);
    --_muted: var(--mt-c2c-muted-color, #57606a);
    --_background: var(--mt-c2c-background, #ffffff);
    --_field: var(--mt-c2c-field-background, #ffffff);
    --_border: var(--mt-c2c-border-color, #6e7781);
    --_accent: var(--mt-c2c-accent, #0b57d0);
    --_on-accent: var(--mt-c2c-on-accent, #ffffff);
    --_focus: var(--mt-c2c-focus-color, #0b57d0);
    --_link: var(--mt-c2c-link-color, #0b57d0);
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

  :host([hidden]) {
    display: none;
  }

  * {
    box-sizing: border-box;
  }

  form {
    display: grid;
    gap: calc(var(--_space) * 0.5);
    min-width: 0;
    padding: var(--_space);
    /* A pill radius rounds the field and buttons, not the whole form. */
    border-radius: min(var(--_radius), 1rem);
    background: var(--_background);
  }

  form[inert] {
    visibility: hidden;
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
    min-width: 0;
  }

  [part='field'] {
    flex: 1 1 11rem;
    display: flex;
    min-width: 0;
    border: 1px solid var(--_border);
    border-radius: var(--mt-c2c-field-radius, var(--_radius));
    background: var(--_field);
  }

  [part='field']:focus-within,
  button:focus-visible,
  a:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }

  [part='field'][data-invalid] {
    border-color: var(--_error);
  }

  [part='country'] {
    display: flex;
    align-items: center;
    padding: 0 0.4em 0 0.8em;
    color: var(--_muted);
  }

  [part='input'] {
    flex: 1;
    min-width: 0;
    min-height: 2.75rem;
    padding: 0 0.8em 0 0.4em;
    border: 0;
    border-radius: inherit;
    background: transparent;
    color: inherit;
    font: inherit;
    outline: none;
  }

  /* The hint keeps its line while the country's name is looked up. */
  [part='hint'] {
    min-height: 1.4em;
  }

  [part='hint'],
  .elapsed {
    color: var(--_muted);
    font-size: 0.875em;
    font-variant-numeric: tabular-nums;
  }

  button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    max-width: 100%;
    min-height: 2.75rem;
    padding: 0 1.1em;
    /* Transparent, not none: forced-colours mode draws it, so the button stays visible. */
    border: 1px solid transparent;
    border-radius: var(--mt-c2c-button-radius, var(--_radius));
    background: var(--_accent);
    color: var(--_on-accent);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }

  [part='button'] {
    flex: 0 1 auto;
    justify-self: start;
  }

  /* Asking, or ringing: outlined, in the text colour, so it reads as "working". */
  [part='button'].busy {
    border-color: var(--_accent);
    background: transparent;
    color: var(--_text);
    cursor: progress;
  }

  /* Unavailable (disabled, a rate limit, the agent on another call): grey, outlined. */
  [part='button']:disabled,
  [part='button'].unavailable {
    border-color: var(--_border);
    background: transparent;
    color: var(--_muted);
    cursor: not-allowed;
  }

  .labels {
    display: grid;
  }

  .labels > * {
    grid-area: 1 / 1;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5em;
  }

  .labels > [hidden] {
    visibility: hidden;
  }

  svg {
    flex: none;
    width: 1.25em;
    height: 1.25em;
    fill: currentColor;
  }

  .check,
  .cross,
  [part='spinner'] {
    fill: none;
    stroke: currentColor;
    stroke-width: 2.5;
    stroke-linecap: round;
  }

  circle {
    stroke-dasharray: 40 60;
  }

  [part='error'] {
    color: var(--_error);
    font-size: 0.9375em;
  }

  /* Room for two lines of status, so the form does not jump as messages come and go. */
  .outcome {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25em 0.75em;
    min-height: 2.8em;
  }

  [part='status'] {
    display: flex;
    align-items: flex-start;
    gap: 0.4em;
  }

  :host([state='completed']) [part='status'] {
    color: var(--_success);
  }

  @media (prefers-reduced-motion: no-preference) {
    [part='spinner'] {
      animation: spin 1s linear infinite;
    }

    :host([state='initiated']) [part='status'] .phone {
      animation: pulse 1.6s ease-in-out infinite;
    }
  }

  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }

  @keyframes pulse {
    50% {
      transform: scale(1.2);
      opacity: 0.6;
    }
  }
`;
