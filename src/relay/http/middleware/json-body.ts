import type { MiddlewareHandler } from 'hono';
import { readJsonBody } from '../read-body.js';

/**
 * Reads the request's small JSON body and validates it with `parse`, handing the result
 * to the route as `c.var.body`.
 *
 * @throws {RelayError} `unsupported_media_type`, `body_too_large`, `invalid_json`, or what
 *   `parse` throws (`invalid_request` naming the field).
 */
export function jsonBody<T>(parse: (body: unknown) => T): MiddlewareHandler<{ Variables: { body: T } }> {
  return async (c, next) => {
    c.set('body', parse(await readJsonBody(c)));
    await next();
  };
}
