/**
 * A store in one SQLite file, durable across restarts on one machine:
 * `mt-click-to-call/relay/sqlite`. The default of `mt-c2c-relay`. One relay process per
 * file; several relay instances share a Redis store instead.
 *
 * @example
 * ```ts
 * import { createSqliteStore } from 'mt-click-to-call/relay/sqlite';
 * const store = createSqliteStore({ path: './.mt-c2c/relay.db' });
 * app.route('/c2c', createRelay({ ...options, store }));
 * ```
 */
export { createSqliteStore, type SqliteStoreOptions } from './create-sqlite-store.js';
export { SqliteCallStore, type SqlStoreOptions } from './sqlite-store.js';
export { SchemaTooNewError } from './migrations.js';
