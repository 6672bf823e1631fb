import { css } from '../shared.js';

/** The code entry: its label, a field wide enough for the digits, spaced apart, and Check beside it. */
export const verifyStyles = css`
  .code {
    display: grid;
    gap: calc(var(--_space) * 0.5);
    width: 100%;
  }

  .code label {
    font-weight: 600;
  }

  [part~='code'] {
    flex: 0 1 12rem;
    min-width: 0;
    min-height: 2.75rem;
    padding: 0 0.8em;
    border: 1px solid var(--_border);
    border-radius: var(--mt-c2c-field-radius, var(--_radius));
    background: var(--_field);
    color: inherit;
    font: inherit;
    font-variant-numeric: tabular-nums;
    letter-spacing: 0.3em;
  }

  [part~='code']:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }

  [part~='code'][aria-invalid='true'] {
    border-color: var(--_error);
  }

  .link {
    justify-self: start;
    min-height: 1.5rem;
    padding: 0;
    background: none;
    color: var(--_link);
    text-decoration: underline;
  }

  .link:disabled {
    color: var(--_muted);
    text-decoration: none;
    cursor: not-allowed;
  }
`;
