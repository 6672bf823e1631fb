import type { Context } from 'hono';
import { RelayError } from '../errors.js';

/** Largest request body the relay reads. */
export const MAX_BODY_BYTES = 4096;

const JSON_TYPE = /^application\/json\s*(;\s*charset=utf-8\s*)?$/i;

/**
 * Reads a small JSON request body. The size is checked before reading when the client
 * declares it, and while reading when it streams the body in chunks, so an oversized
 * body is never buffered.
 *
 * @throws {RelayError} `unsupported_media_type`, `body_too_large` or `invalid_json`.
 */
export async function readJsonBody(c: Context, limit = MAX_BODY_BYTES): Promise<unknown> {
  if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) {
    throw new RelayError('unsupported_media_type', 'Send the request as JSON (Content-Type: application/json).');
  }
  return parseJson(await readBodyText(c, limit));
}

/**
 * Reads a request body as text, refusing more than `limit` bytes.
 *
 * @throws {RelayError} `body_too_large`.
 */
export async function readBodyText(c: Context, limit: number): Promise<string> {
  const declared = c.req.header('content-length');
  if (declared === undefined) return readCapped(c.req.raw.body, limit);
  if (!/^\d+$/.test(declared) || Number(declared) > limit) throw tooLarge(limit);
  return c.req.text();
}

/**
 * Parses JSON text.
 *
 * @throws {RelayError} `invalid_json`.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new RelayError('invalid_json', 'The request body is not valid JSON.');
  }
}

async function readCapped(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

function tooLarge(limit: number): RelayError {
  return new RelayError('body_too_large', `The request body is larger than ${limit} bytes.`);
}
