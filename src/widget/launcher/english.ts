import type { LauncherTexts } from '../strings.js';

/** The launcher's English texts. */
export const LAUNCHER_ENGLISH: LauncherTexts = {
  launcher: 'Request a call',
  dialogTitle: 'We will call you',
  close: 'Close',
};
