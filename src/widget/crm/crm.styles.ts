import { css } from '../shared.js';

/** A ticket's status wraps within the button's width: a table's column keeps its width. */
export const ticketStyles = css`
  .ticket .outcome {
    width: 0;
    min-width: 100%;
    min-height: 1.4em;
  }
`;
