import { css } from '../shared.js';

/**
 * The slot picker: wrapping rows of day and time buttons, outlined, the chosen one filled
 * with the accent; Call me back later and Cancel as links.
 */
export const slotsStyles = css`
  [part='slots'] {
    display: grid;
    gap: calc(var(--_space) * 0.5);
    width: 100%;
  }

  .choices {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4em;
  }

  .choices button {
    padding: 0 0.8em;
    border-color: var(--_border);
    background: transparent;
    color: var(--_text);
    font-weight: 400;
  }

  .choices [aria-pressed='true'] {
    border-color: var(--_accent);
    background: var(--_accent);
    color: var(--_on-accent);
    font-weight: 600;
  }

  [part='slots'] > p {
    font-size: 0.9375em;
  }

  .zone {
    color: var(--_muted);
  }

  .book {
    justify-self: start;
  }

  .link {
    min-height: 1.5rem;
    padding: 0;
    background: none;
    color: var(--_link);
    text-decoration: underline;
  }
`;
