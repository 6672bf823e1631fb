/**
 * What the widget and the relay share: call states, wire shapes, error codes.
 * Nothing here depends on anything else, so the browser bundle stays small.
 */
export * from './states.js';
export * from './errors.js';
export * from './wire.js';
export * from './mask.js';
