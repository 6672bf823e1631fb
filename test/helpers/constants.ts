// Test values shared by Node and browser tests (this file must stay free of imports).

/** The token every test relay holds; no response or log line may ever show it. */
export const TEST_TOKEN = 'mt-test-token-6f1d2c9a8b7e4f30a1b2';
export const TEST_WEBHOOK_SECRET = 'webhook-secret-4e5f6a7b8c9d0e1f';
export const TEST_BRIDGE = '918046000000';
/** The operator console's token and the metrics' token of test relays: never in a response body or a log line. */
export const TEST_CONSOLE_TOKEN = 'console-token-7a1c9e3b5d2f4a6c8e0b';
export const TEST_METRICS_TOKEN = 'metrics-token-3f8e1d6c4b2a0f9e7d5c';
