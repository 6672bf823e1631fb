import { relayUrl } from '../shared.js';
import type { ErrorBody, VerificationRequest } from '../../protocol/index.js';

/** The relay's answer to a verification request: its status and JSON, or `undefined` when it cannot be reached. */
export interface Answer {
  status: number;
  body: Record<string, unknown> & Partial<ErrorBody>;
}

/** POSTs `body` as JSON to a relay route under `endpoint`. */
async function post(endpoint: string, path: string, body: unknown): Promise<Answer | undefined> {
  try {
    const response = await fetch(relayUrl(endpoint, path), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as Answer['body'] };
  } catch {
    return undefined;
  }
}

/** Asks the relay to call a number and speak it a code (`POST /verifications`). */
export const startVerification = (endpoint: string, request: VerificationRequest) =>
  post(endpoint, '/verifications', request);

/** Checks the code the visitor heard (`POST /verifications/:id/check`). */
export const checkCode = (endpoint: string, verificationId: string, code: string) =>
  post(endpoint, `/verifications/${encodeURIComponent(verificationId)}/check`, { code });
