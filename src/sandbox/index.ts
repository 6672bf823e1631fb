/**
 * A simulated Mobtexting Click2Call API, for tests, the demo and development without an
 * account. Nothing is dialled; the visitor number's last digits choose the outcome.
 */
export { createSandbox, type Sandbox, type SandboxOptions, type SandboxDelivery } from './create-sandbox.js';
export { startSandboxServer, type SandboxServer } from './server.js';
export { TEST_NUMBER_ENDINGS, outcomeForNumber, type SandboxOutcome } from './outcomes.js';
export type { SpokenMessage } from './spoken.js';
