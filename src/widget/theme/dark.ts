import { css } from '../shared.js';

/** The dark theme's defaults, for `theme="dark"`, and for `theme="auto"` on a dark system. */
const palette = css`
  color-scheme: dark;
  --_text: var(--mt-c2c-text-color, #e6edf3);
  --_muted: var(--mt-c2c-muted-color, #a3adb8);
  --_background: var(--mt-c2c-background, #161b22);
  --_field: var(--mt-c2c-field-background, #0d1117);
  --_border: var(--mt-c2c-border-color, #8b949e);
  --_accent: var(--mt-c2c-accent, #a8c7fa);
  --_on-accent: var(--mt-c2c-on-accent, #062e6f);
  --_focus: var(--mt-c2c-focus-color, #a8c7fa);
  --_link: var(--mt-c2c-link-color, #a8c7fa);
  --_error: var(--mt-c2c-error-color, #ffb4ab);
  --_success: var(--mt-c2c-success-color, #7ee2a8);
`;

/** The dark theme, for `theme="dark"`, and for `theme="auto"` on a system in dark mode. */
export const styles = css`
  :host([theme='dark']) {
    ${palette}
  }

  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      ${palette}
    }
  }
`;
