/**
 * Error codes the relay answers with, and their usual HTTP status.
 *
 * Every error response is `{"error": {"code", "message", "field"?}}`.
 */
export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_request: 400,
  unauthorized: 401,
  origin_not_allowed: 403,
  number_not_allowed: 403,
  human_check_failed: 403,
  invalid_ticket: 403,
  verification_required: 403,
  unknown_target: 404,
  unknown_call: 404,
  not_found: 404,
  call_in_progress: 409,
  target_closed: 409,
  slot_full: 409,
  verification_expired: 410,
  body_too_large: 413,
  unsupported_media_type: 415,
  invalid_phone: 422,
  country_not_allowed: 422,
  wrong_code: 422,
  call_rejected: 422,
  idempotency_conflict: 422,
  rate_limited: 429,
  internal_error: 500,
  upstream_error: 502,
  relay_misconfigured: 502,
  store_unavailable: 503,
  upstream_timeout: 504,
} as const;

/** A machine-readable error code. */
export type ErrorCode = keyof typeof ERROR_STATUS;
