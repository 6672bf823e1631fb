/** Answers the path of a system tool the tests or benchmarks need, installing it when possible, else exits. */
export function requireTool(name: 'chromium' | 'redis'): string;
