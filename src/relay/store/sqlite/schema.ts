import type { SqlDriver } from './driver.js';
import { MIGRATIONS, SchemaTooNewError } from './migrations.js';

/**
 * Where a database records its schema version: a table of one row, on every driver (a
 * Durable Object's storage does not allow `PRAGMA user_version`).
 */
const VERSION_TABLE = 'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)';

/**
 * Brings a database's schema up to date in one transaction (so a failed step leaves it as
 * it was, and two processes starting at once do not both migrate it); answers the version
 * it had. `where` names the database in the refusal of one newer than this code;
 * `formerVersion` reads the version of a file from before the version table, if any.
 *
 * @throws {SchemaTooNewError} when the database was written by a newer version.
 */
export function migrate(
  db: SqlDriver,
  where: string,
  migrations: readonly string[] = MIGRATIONS,
  formerVersion: () => number = () => 0,
): number {
  return db.transaction(() => {
    db.exec(VERSION_TABLE);
    const recorded = db.prepare<[], number>('SELECT version FROM schema_version', true).get();
    const found = recorded ?? formerVersion();
    if (found > migrations.length) throw new SchemaTooNewError(where, found, migrations.length);
    for (let version = found; version < migrations.length; version++) db.exec(migrations[version]!);
    if (recorded === undefined) {
      db.prepare<[number]>('INSERT INTO schema_version (version) VALUES (?)').run(migrations.length);
    } else if (found !== migrations.length) {
      db.prepare<[number]>('UPDATE schema_version SET version = ?').run(migrations.length);
    }
    return found;
  });
}
