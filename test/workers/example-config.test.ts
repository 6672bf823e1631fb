import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { readWorkerConfig } from '../../src/relay/workers/environment.js';
import { EXAMPLE_CONFIG, readWranglerConfig, WORKER_SCRIPT } from '../helpers/workerd.js';
import { ROOT } from '../helpers/process.js';

// examples/workers/wrangler.jsonc deploys what the tests run: the built Worker script, its
// object bound as RELAY on SQLite storage, and the widget's script as the Worker's assets.
describe('the example Workers deployment', () => {
  const config = readWranglerConfig(EXAMPLE_CONFIG);
  const here = dirname(EXAMPLE_CONFIG);

  it('deploys the built Worker script', () => {
    assert.equal(resolve(here, config.main), WORKER_SCRIPT);
  });

  it('binds RELAY to RelayObject, created on SQLite storage', () => {
    assert.deepEqual(config.durable_objects.bindings, [{ name: 'RELAY', class_name: 'RelayObject' }]);
    assert.ok(config.migrations.some((m) => m.new_sqlite_classes?.includes('RelayObject')));
  });

  it('serves the widget’s script from the same Worker', () => {
    assert.equal(config.assets?.binding, 'ASSETS');
    assert.equal(resolve(here, config.assets!.directory), resolve(ROOT, 'dist/cdn'));
    if (existsSync(resolve(ROOT, 'dist/cdn'))) assert.ok(existsSync(resolve(ROOT, 'dist/cdn/mt-click-to-call.js')));
  });

  it('sets variables the relay reads without a problem or a warning, and no secret', () => {
    const vars = config.vars ?? {};
    for (const secret of ['MT_API_TOKEN', 'MT_WEBHOOK_SECRET', 'MT_TICKET_SECRET'])
      assert.ok(!(secret in vars), secret);
    const read = readWorkerConfig({
      ...vars,
      MT_API_TOKEN: 'an-api-token',
      MT_WEBHOOK_SECRET: 'a-webhook-secret-0123456',
    });
    assert.ok(read.ok, JSON.stringify(read));
    assert.deepEqual(read.config.warnings, []);
    assert.equal(read.config.basePath, '/c2c');
    assert.ok(read.config.live);
  });
});
