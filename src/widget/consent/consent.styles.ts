import { css } from '../shared.js';

/** The consent box: its text beside it, a checkbox in the widget's accent colour, focus ring and all. */
export const consentStyles = css`
  [part='consent'] {
    display: flex;
    align-items: flex-start;
    gap: 0.6em;
    font-size: 0.9375em;
  }

  [part='consent'] input {
    flex: none;
    width: 1.25rem;
    height: 1.25rem;
    margin: 0.1em 0 0;
    accent-color: var(--_accent);
  }

  [part='consent'] input:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
`;
