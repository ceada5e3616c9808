// V8 settings for a `keygate serve` process, applied before the app is built.
import { setFlagsFromString } from 'node:v8';

/**
 * Turns off V8's allocation-site pretenuring in this process. V8 judges some allocation sites
 * long-lived while modules load and the first requests run (their objects do survive then), and
 * from then on allocates their objects directly in the old generation. Under load those are
 * per-request objects: they pile up as old-space garbage until a full collection, and old-space
 * allocation costs more CPU. Measured under 32 connections on PostgreSQL (live heap ~27 MiB): the
 * old space peaked near 120 MiB with pretenuring and near 50 MiB without (peak RSS 215-229 ->
 * 145-154 MiB for the list of 20), and server CPU per request fell by 16-19%. Only the CLI's own
 * server process does this; a host application that mounts keygate keeps its own V8 settings.
 */
export function tuneHeapForServing(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
