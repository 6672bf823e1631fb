import { css } from 'lit';

/** The console's look, light and dark: shared by its panels. */
export const shared = css`
  :host {
    --bg: #ffffff;
    --fg: #1c1e21;
    --muted: #59606b;
    --line: #d5d9df;
    --panel: #f5f6f8;
    --accent: #1f5fc4;
    --accent-fg: #ffffff;
    --danger: #b3261e;
    --focus: #1f5fc4;
    color: var(--fg);
    font: inherit;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --bg: #14161a;
      --fg: #e8eaed;
      --muted: #a9b0bb;
      --line: #3a3f47;
      --panel: #1d2026;
      --accent: #8ab4f8;
      --accent-fg: #0b1d3a;
      --danger: #f28b82;
      --focus: #8ab4f8;
    }
  }
  * {
    box-sizing: border-box;
  }
  h2 {
    font-size: 1.15rem;
    margin: 0 0 0.75rem;
  }
  h3 {
    font-size: 1rem;
    margin: 1rem 0 0.5rem;
  }
  button,
  select,
  input,
  a.button {
    font: inherit;
    color: inherit;
  }
  button,
  a.button {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    min-height: 2.25rem;
    padding: 0.3rem 0.8rem;
    border-radius: 6px;
    border: 1px solid var(--line);
    background: var(--panel);
    cursor: pointer;
    text-decoration: none;
  }
  button.primary {
    background: var(--accent);
    border-color: var(--accent);
    color: var(--accent-fg);
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  select,
  input {
    min-height: 2.25rem;
    padding: 0.25rem 0.5rem;
    border: 1px solid var(--line);
    border-radius: 6px;
    background: var(--bg);
  }
  :focus-visible {
    outline: 3px solid var(--focus);
    outline-offset: 2px;
  }
  label {
    display: grid;
    gap: 0.2rem;
    font-size: 0.9rem;
    color: var(--muted);
  }
  .scroll {
    /* Holds what is positioned inside it (a hidden header), so only it scrolls at 375 px. */
    position: relative;
    overflow-x: auto;
    border: 1px solid var(--line);
    border-radius: 8px;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-size: 0.92rem;
  }
  th,
  td {
    text-align: left;
    padding: 0.45rem 0.6rem;
    border-bottom: 1px solid var(--line);
    white-space: nowrap;
  }
  th {
    background: var(--panel);
    font-weight: 600;
  }
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
  }
  .badge::before {
    content: '';
    width: 0.6rem;
    height: 0.6rem;
    border-radius: 50%;
    background: var(--dot, var(--muted));
  }
  .muted {
    color: var(--muted);
  }
  .error {
    color: var(--danger);
  }
  .empty {
    padding: 1rem;
    color: var(--muted);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
