// Test values shared by Node and browser tests (this file must stay free of imports).

/** The token every test relay holds; no response or log line may ever show it. */
export const TEST_TOKEN = 'mt-test-token-6f1d2c9a8b7e4f30a1b2';
export const TEST_WEBHOOK_SECRET = 'webhook-secret-4e5f6a7b8c9d0e1f';
export const TEST_BRIDGE = '918046000000';
