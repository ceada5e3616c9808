// The Redis the throttle tests use (db 15), probed once per test file that imports it.
import { createClient } from 'redis';

/** The Redis database the throttle tests use (15: never a developer's data). */
export const REDIS_URL = 'redis://127.0.0.1:6379/15';

export type Redis = ReturnType<typeof createClient>;

/** A client of the test database (15), connected; null (and a loud warning) when Redis does not answer. */
export async function connectRedis(): Promise<Redis | null> {
  const client = createClient({ url: REDIS_URL, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch (error) {
    if (client.isOpen) client.destroy();
    process.stderr.write(
      `\n!!! Redis is not reachable at ${REDIS_URL} (${(error as Error).message}).\n` +
        '!!! Every Redis login-throttle test is SKIPPED, not passed.\n\n',
    );
    return null;
  }
}

const probe = await connectRedis();
/** Whether Redis answered when the test file loaded. */
export const REDIS_AVAILABLE = probe !== null;
if (probe !== null) probe.destroy();
