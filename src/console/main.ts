// The console's script: `dist/console/console.js`, built by `npm run build:console`. Every
// element is defined here, in one place (the panels' modules only declare their classes).
import { MtConsoleCharts } from './charts-panel.js';
import { MtConsole } from './console-app.js';
import { MtConsoleHistory } from './history-panel.js';
import { MtConsoleLive } from './live-panel.js';
import { MtConsoleScheduled } from './scheduled-panel.js';

customElements.define('mt-console-live', MtConsoleLive);
customElements.define('mt-console-history', MtConsoleHistory);
customElements.define('mt-console-charts', MtConsoleCharts);
customElements.define('mt-console-scheduled', MtConsoleScheduled);
customElements.define('mt-console', MtConsole);

declare global {
  interface HTMLElementTagNameMap {
    'mt-console': MtConsole;
    'mt-console-live': MtConsoleLive;
    'mt-console-history': MtConsoleHistory;
    'mt-console-charts': MtConsoleCharts;
    'mt-console-scheduled': MtConsoleScheduled;
  }
}
