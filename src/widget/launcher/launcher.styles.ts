import { css } from '../shared.js';

/**
 * The launcher's look, added to the widget's own styles when its chunk arrives. The
 * element keeps, where it stands (the end of the page, typically), the room the round
 * button takes, so the page's last lines can scroll clear of it on a small screen.
 */
export const launcherStyles = css`
  :host([launcher]) {
    max-width: none;
    height: 5.5rem;
  }

  [part='launcher'] {
    position: fixed;
    z-index: 2147483000;
    right: 1rem;
    bottom: 1rem;
    width: 3.5rem;
    height: 3.5rem;
    padding: 0;
    border-radius: 50%;
    box-shadow: 0 2px 10px rgb(0 0 0 / 0.3);
  }

  :host([launcher='bottom-left']) [part='launcher'] {
    right: auto;
    left: 1rem;
  }

  [part='launcher'] svg {
    width: 1.6rem;
    height: 1.6rem;
  }

  [part='dialog'] {
    width: min(26rem, calc(100vw - 2rem));
    max-height: calc(100dvh - 2rem);
    padding: 0;
    border: 0;
    border-radius: 1rem;
    background: var(--_background);
    color: var(--_text);
    box-shadow: 0 8px 32px rgb(0 0 0 / 0.3);
  }

  [part='dialog']::backdrop {
    background: rgb(0 0 0 / 0.45);
  }

  .head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space);
    padding: var(--_space) var(--_space) 0;
  }

  h2 {
    margin: 0;
    font-size: 1.125em;
  }

  [part='cancel'] {
    width: 2.75rem;
    padding: 0;
    border-radius: 50%;
    background: transparent;
    color: var(--_text);
  }

  /* A bottom sheet on narrow screens. */
  @media (max-width: 480px) {
    [part='dialog'] {
      width: 100%;
      max-width: 100%;
      margin: auto 0 0;
      border-radius: 1rem 1rem 0 0;
    }
  }

  @media (prefers-reduced-motion: no-preference) {
    :host([state='initiated']) [part='launcher'] svg {
      animation: pulse 1.6s ease-in-out infinite;
    }
  }
`;
