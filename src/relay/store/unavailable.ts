/**
 * Thrown by a store that cannot be reached. The relay answers `503 store_unavailable`:
 * it never dials a call it could not follow or count against the limits.
 */
export class StoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('The call store cannot be reached.', { cause });
    this.name = 'StoreUnavailableError';
  }
}
