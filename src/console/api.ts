/** The console's requests to its relay: same origin, the session cookie, the CSRF token on changes. */

/** An answer the relay refused, with its code and sentence. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retryAfter: number | undefined;

  constructor(status: number, code: string, message: string, retryAfter?: number) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

/** What the relay says about a session. */
export interface SessionInfo {
  csrf: string;
  expiresAt: number;
  targets: string[];
  states: string[];
  sources: string[];
  historyDays: number;
}

export class ConsoleApi {
  readonly root: string;
  csrf = '';

  constructor(root: string) {
    this.root = root;
  }

  /** Where a path of the API is. */
  url(path: string, query: Record<string, string | number | undefined> = {}): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query))
      if (value !== undefined && value !== '') params.set(key, String(value));
    const search = params.toString();
    return `${this.root}/api${path}${search ? `?${search}` : ''}`;
  }

  async get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    return this.#answer<T>(await fetch(this.url(path, query), { credentials: 'same-origin' }));
  }

  async send<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { 'X-CSRF-Token': this.csrf };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(this.url(path), {
      method,
      credentials: 'same-origin',
      headers,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return this.#answer<T>(response);
  }

  async #answer<T>(response: Response): Promise<T> {
    if (response.status === 204) return undefined as T;
    const body = (await response.json().catch(() => ({}))) as {
      error?: { code: string; message: string; retryAfter?: number };
    };
    if (!response.ok) {
      const error = body.error ?? { code: 'internal_error', message: 'The relay did not answer as expected.' };
      throw new ApiError(response.status, error.code, error.message, error.retryAfter);
    }
    return body as T;
  }
}
