import { css } from '../shared.js';

/**
 * A refusal's look: the status line in the error colour, Try again a link (greyed while a
 * rate limit holds), the fallback number a link.
 */
export const recoveryStyles = css`
  :host([state='error']) [part='status'] {
    color: var(--_error);
  }

  [part='retry'] {
    min-height: 1.5rem;
    padding: 0;
    background: none;
    color: var(--_link);
    text-decoration: underline;
  }

  [part='retry']:disabled {
    color: var(--_muted);
    text-decoration: none;
    cursor: not-allowed;
  }

  [part='fallback'] {
    color: var(--_link);
  }
`;
