// The floor for a login: a raw argon2id verify with keygate's parameters, called directly (no HTTP).
// Standalone (prints JSON): node --import tsx bench/argon2-baseline.ts
import { pathToFileURL } from 'node:url';
import { hash, verify } from '@node-rs/argon2';
import { ARGON2_OPTIONS } from '../src/users/passwords.js';

/** What a raw verify costs. */
export interface Argon2Baseline {
  readonly parameters: string;
  /** Median wall time of one verify, run one at a time. */
  readonly verifyMedianMs: number;
  /** CPU time of one verify (process CPU over the sequential verifies, divided by their number). */
  readonly verifyCpuMs: number;
  /** Verifies per second with 32 in flight (libuv's thread pool; the ceiling for logins/s). */
  readonly parallelVerifiesPerSecond: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Measures `rounds` sequential verifies (after two warm-ups) and one burst of `parallel` × 4. */
export async function measureArgon2(rounds = 20, parallel = 32): Promise<Argon2Baseline> {
  const password = 'a benchmark password';
  const encoded = await hash(password, ARGON2_OPTIONS);
  for (let i = 0; i < 2; i++) await verify(encoded, password);
  const times: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    if (!(await verify(encoded, password))) throw new Error('argon2 verify failed on its own hash');
    times.push(performance.now() - started);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const total = parallel * 4;
  const burstStarted = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < total) {
        next++;
        await verify(encoded, password);
      }
    }),
  );
  const burstSeconds = (performance.now() - burstStarted) / 1000;
  return {
    parameters: `argon2id m=${ARGON2_OPTIONS.memoryCost} KiB, t=${ARGON2_OPTIONS.timeCost}, p=${ARGON2_OPTIONS.parallelism}`,
    verifyMedianMs: median(times),
    verifyCpuMs: (cpu.user + cpu.system) / 1000 / rounds,
    parallelVerifiesPerSecond: total / burstSeconds,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${JSON.stringify(await measureArgon2())}\n`);
}
