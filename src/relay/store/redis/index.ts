/**
 * A store in Redis, shared by several relay instances: `mt-click-to-call/relay/redis`.
 *
 * @example
 * ```ts
 * import { createRedisStore } from 'mt-click-to-call/relay/redis';
 * const store = await createRedisStore({ url: process.env.REDIS_URL! });
 * app.route('/c2c', createRelay({ ...options, store }));
 * ```
 */
export { createRedisStore, RedisCallStore, type RedisStoreOptions } from './redis-store.js';
