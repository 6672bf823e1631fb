import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { RelayContext } from '../context.js';
import { RelayError } from '../errors.js';
import { addressKey } from '../http/ip-address.js';
import { readJsonBody } from '../http/read-body.js';
import type { RelayEnv } from '../http/respond.js';
import { secretMatches } from '../http/webhook-secret.js';
import type { ConsoleSession, ConsoleSessions } from '../store/history.js';
import type { LimitRule, RateLimitCounters } from '../store/roles.js';

/** The session cookie's name. */
export const SESSION_COOKIE = 'mt_c2c_console';
/** The header state-changing requests carry their session's CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';
/** How long a session lasts from sign-in. */
export const SESSION_MS = 12 * 3600_000;
/** Wrong tokens an address may try before it is locked out, and for how long it is. */
export const SIGN_IN_ATTEMPTS = 5;
export const SIGN_IN_WINDOW_MS = 15 * 60_000;

/** What the console's routes hand on to each other. */
export type ConsoleEnv = RelayEnv & { Variables: { session: ConsoleSession; sessionId: string } };

/** What signing in and out needs. */
export interface SessionContext {
  store: ConsoleSessions & RateLimitCounters;
  token: string;
  relay: Pick<RelayContext, 'clientAddress' | 'now' | 'log' | 'settings'>;
}

const encoder = new TextEncoder();

/** Random bytes as base64url: a session's cookie value, a CSRF token. */
function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** Sessions are kept under the hash of their cookie's value: a copy of the store opens none. */
async function sessionKey(value: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value)));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The path the relay is mounted at, read from a console request's own path (`/c2c`). */
export function basePath(c: Context): string {
  return c.req.path.match(/^(.*?)\/console(?:\/|$)/)?.[1] ?? '';
}

/** Whether the browser reached this relay as the machine itself: a cookie need not be `Secure` there. */
function onLoopback(c: Context): boolean {
  const host = (c.req.header('host') ?? new URL(c.req.url).host).toLowerCase();
  return /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(host);
}

/** The session cookie, set (with its value and lifetime) or cleared. */
function sessionCookie(c: Context, value: string, maxAgeSeconds: number): string {
  const secure = onLoopback(c) ? '' : '; Secure';
  return `${SESSION_COOKIE}=${value}; Path=${basePath(c)}/console; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure}`;
}

/**
 * Whether a request comes from a page of the relay's own origin: its `Origin` names the
 * host it was sent to (the `publicUrl`'s, when set), and the browser does not call it
 * cross-site. A request without `Origin` is refused: every browser sends it on a POST.
 */
function fromOwnPage(c: Context, publicUrl: URL | undefined): boolean {
  const origin = c.req.header('origin');
  if (origin === undefined || origin === 'null') return false;
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return false;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  if (publicUrl) return origin === publicUrl.origin;
  return host === (c.req.header('host') ?? new URL(c.req.url).host).toLowerCase();
}

/**
 * Refuses a request that did not come from the console's own page (a cross-site POST).
 *
 * @throws {RelayError} `origin_not_allowed`.
 */
export function sameOrigin(relay: SessionContext['relay']): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    if (!fromOwnPage(c, relay.settings.publicUrl)) {
      throw new RelayError('origin_not_allowed', 'The console takes changes only from its own page.', {
        scope: 'console',
      });
    }
    await next();
  };
}

/**
 * Lets through only a request with a live session; for a state-changing one, also its
 * CSRF token (the `X-CSRF-Token` header) and a same-origin `Origin`.
 *
 * @throws {RelayError} `unauthorized` (401) without a session; 403 for a wrong CSRF token
 *   or another origin.
 */
export function requireSession(context: SessionContext): MiddlewareHandler<ConsoleEnv> {
  const checkOrigin = sameOrigin(context.relay);
  return async (c, next) => {
    const value = getCookie(c, SESSION_COOKIE);
    const id = value && /^[\w-]{43}$/.test(value) ? await sessionKey(value) : undefined;
    const session = id === undefined ? undefined : await context.store.getSession(id);
    if (!session || id === undefined) throw new RelayError('unauthorized', 'Sign in to the console first.');
    c.set('session', session);
    c.set('sessionId', id);
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return checkOrigin(c, async () => {
      if (!secretMatches(c.req.header(CSRF_HEADER), session.csrf)) {
        throw new RelayError('unauthorized', 'This request did not come from the console’s page.', { status: 403 });
      }
      await next();
    });
  };
}

/**
 * Signs an operator in with the console's token: compared in constant time, with at most
 * {@link SIGN_IN_ATTEMPTS} wrong tokens per address in {@link SIGN_IN_WINDOW_MS} (the
 * relay's rate-limit counters, under keys of their own; a right token gives its attempt
 * back). Answers the new session and the `Set-Cookie` that carries it.
 *
 * @throws {RelayError} `rate_limited` once locked out, `unauthorized` for a wrong token.
 */
export async function signIn(
  c: Context,
  context: SessionContext,
): Promise<{ session: ConsoleSession; cookie: string }> {
  const { store, token, relay } = context;
  const body = await readJsonBody(c);
  const presented =
    body && typeof body === 'object' && typeof (body as { token?: unknown }).token === 'string'
      ? (body as { token: string }).token
      : undefined;
  const address = relay.clientAddress(c);
  const rules: LimitRule[] = [
    {
      key: `console-sign-in:${address === undefined ? 'unknown' : addressKey(address)}`,
      limit: SIGN_IN_ATTEMPTS,
      windowMs: SIGN_IN_WINDOW_MS,
    },
  ];
  const at = relay.now();
  const counted = await store.consumeLimits(rules, at);
  if (!counted.ok) {
    relay.log('warn', 'console.locked_out', { ip: address });
    throw new RelayError('rate_limited', 'Too many wrong tokens from your network. Try again later.', {
      retryAfter: Math.max(Math.ceil(counted.retryAfterMs / 1000), 1),
      scope: 'console-sign-in',
    });
  }
  if (!secretMatches(presented, token)) {
    relay.log('warn', 'console.sign_in_refused', { ip: address });
    throw new RelayError('unauthorized', 'That is not the console’s token.');
  }
  await store.refundLimits(rules, at);
  const value = randomToken();
  const session: ConsoleSession = { csrf: randomToken(), createdAt: at, expiresAt: at + SESSION_MS };
  await store.saveSession(await sessionKey(value), session);
  relay.log('info', 'console.signed_in', { ip: address });
  return { session, cookie: sessionCookie(c, value, SESSION_MS / 1000) };
}

/** Ends the request's session: answers the `Set-Cookie` that clears it. */
export async function signOut(c: Context<ConsoleEnv>, context: SessionContext): Promise<string> {
  await context.store.deleteSession(c.get('sessionId'));
  return sessionCookie(c, '', 0);
}
