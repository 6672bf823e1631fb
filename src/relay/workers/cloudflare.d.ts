// The few Cloudflare Workers types the relay's Worker uses, as the runtime defines them
// (a subset of @cloudflare/workers-types, so the package needs no global types that would
// clash with the DOM's). A site's own project gets the full ones from `wrangler types`.

declare module 'cloudflare:workers' {
  /** The base class of a Durable Object: its state (`ctx`) and the Worker's bindings (`env`). */
  export abstract class DurableObject<Env = unknown> {
    protected ctx: DurableObjectState;
    protected env: Env;
    constructor(ctx: DurableObjectState, env: Env);
    fetch?(request: Request): Response | Promise<Response>;
    alarm?(): void | Promise<void>;
  }
}

/** A Durable Object's own state. */
interface DurableObjectState {
  readonly storage: DurableObjectStorage;
  waitUntil(promise: Promise<unknown>): void;
}

/** A Durable Object's durable storage: a SQLite database, and one alarm. */
interface DurableObjectStorage {
  readonly sql: SqlStorage;
  transactionSync<T>(closure: () => T): T;
  getAlarm(): Promise<number | null>;
  setAlarm(scheduledTime: number | Date): Promise<void>;
  deleteAlarm(): Promise<void>;
}

/** SQL on a Durable Object's storage: positional `?` bindings only. */
interface SqlStorage {
  exec<T extends Record<string, SqlStorageValue>>(query: string, ...bindings: unknown[]): SqlStorageCursor<T>;
}

type SqlStorageValue = ArrayBuffer | string | number | null;

interface SqlStorageCursor<T extends Record<string, SqlStorageValue>> extends Iterable<T> {
  toArray(): T[];
  one(): T;
  raw<U extends SqlStorageValue[]>(): IterableIterator<U>;
  readonly rowsRead: number;
  readonly rowsWritten: number;
}

interface DurableObjectId {
  toString(): string;
}

interface DurableObjectStub {
  fetch(request: Request): Promise<Response>;
}

interface DurableObjectNamespace {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): DurableObjectStub;
}

/** A binding that answers requests: another Worker, or the Worker's static assets. */
interface Fetcher {
  fetch(request: Request): Promise<Response>;
}
