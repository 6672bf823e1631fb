/**
 * Runs `task` when the browser is idle, after the page's first paint: for work a widget
 * needs soon but not to show itself (a tab's storage, the browser's country names, each
 * a synchronous load that can take tens of milliseconds on a slow phone).
 */
export function whenIdle(task: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(task, { timeout: 1000 });
  else setTimeout(task, 50);
}
