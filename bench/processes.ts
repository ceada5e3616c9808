// Child processes of a benchmark run: each in its own process group, every one stopped at the end.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/** A process the benchmark started and is responsible for stopping. */
export interface RunningProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or null after a signal) once the process has ended. */
  readonly exited: Promise<number | null>;
}

/** Deliberate module state: the registry of live children, so that every exit path can stop them. */
const running = new Set<RunningProcess>();
/** Deliberate module state: set once a signal asked the run to stop. */
let interrupted = false;

/** Whether a signal asked the run to stop (a failure after it is the interruption, not a fault). */
export function wasInterrupted(): boolean {
  return interrupted;
}

/** Deliberate module state: the niceness load-bearing processes run at (`--nice`), 0 = inherit. */
let niceness = 0;

/**
 * Runs servers and wrk at `value` niceness from now on (negative: ahead of other work on a shared
 * machine; needs root). Short commands are not affected.
 */
export function setNiceness(value: number): void {
  niceness = value;
}

/**
 * With the kernel's autogroup scheduling on, a process started in its own session (as every child
 * here is) gets a share of the CPU equal to each other session's, whatever its nice value: the
 * session's own niceness is set through /proc/<pid>/autogroup instead.
 */
function raiseAutogroup(pid: number): void {
  try {
    if (readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() !== '1') return;
    writeFileSync(`/proc/${pid}/autogroup`, String(niceness));
  } catch {
    // No autogroup support, or not allowed: the plain nice value is all there is.
  }
}

/** Options for starting a long-running process. */
export interface StartOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly stdio?: StdioOptions;
  /** Run under `nice -n` with the niceness set by setNiceness (servers and the load generator). */
  readonly prioritised?: boolean;
}

/**
 * Starts a process in its own process group (so a signal reaches a server's worker processes too)
 * and registers it for cleanup.
 */
export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  options: StartOptions = {},
): RunningProcess {
  // `nice` execs the command, so the pid stays the server's own (its /proc entries are the server's).
  const [file, argv] =
    options.prioritised === true && niceness !== 0
      ? ['nice', ['-n', String(niceness), command, ...args]]
      : [command, [...args]];
  const child = spawn(file, argv, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: options.stdio ?? 'ignore',
    detached: true,
  });
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  if (options.prioritised === true && niceness !== 0) raiseAutogroup(child.pid);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  const entry: RunningProcess = { name, pid: child.pid, child, exited };
  running.add(entry);
  void exited.then(() => running.delete(entry));
  return entry;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already; try the process itself in case it left its group.
    try {
      process.kill(pid, signal);
    } catch {
      // Already ended.
    }
  }
}

function delay(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => setTimeout(() => resolve('timeout'), ms).unref());
}

/** Asks a process (group) to stop with `signal`; after `graceMs` it is killed. Resolves when it ended. */
export async function stopProcess(
  entry: RunningProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 5000,
): Promise<number | null> {
  if (!running.has(entry)) return entry.exited;
  signalGroup(entry.pid, signal);
  if ((await Promise.race([entry.exited, delay(graceMs)])) === 'timeout') {
    signalGroup(entry.pid, 'SIGKILL');
  }
  const code = await entry.exited;
  // Workers of a server may outlive their primary for a moment; the group gets a last SIGKILL.
  signalGroup(entry.pid, 'SIGKILL');
  return code;
}

/** Stops every process still registered, in parallel. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((entry) => stopProcess(entry, 'SIGTERM', 3000)));
}

/** Kills every registered process group at once, synchronously (for `process.on('exit')`). */
export function killAllNow(): void {
  for (const entry of running) signalGroup(entry.pid, 'SIGKILL');
  running.clear();
}

/** The outcome of a short command. */
export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options for a short command. */
export interface CommandOptions extends StartOptions {
  /** Written to the command's standard input, which is then closed. */
  readonly input?: string;
  /** Killed after this long; default 10 minutes. */
  readonly timeoutMs?: number;
  /** Told the process id once it is running. */
  readonly onStart?: (pid: number) => void;
}

/** Runs a command to completion, collecting its output; it is registered (Ctrl-C stops it too). */
export async function runCommand(
  name: string,
  command: string,
  args: readonly string[],
  options: CommandOptions = {},
): Promise<CommandResult> {
  const entry = startProcess(name, command, args, { ...options, stdio: ['pipe', 'pipe', 'pipe'] });
  options.onStart?.(entry.pid);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  entry.child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  entry.child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  entry.child.stdin?.end(options.input ?? '');
  const timer = setTimeout(() => void stopProcess(entry, 'SIGKILL', 0), options.timeoutMs ?? 600_000);
  try {
    const code = await entry.exited;
    // 'exit' can come before the pipes are drained.
    await Promise.all(
      [entry.child.stdout, entry.child.stderr].map(
        (stream) =>
          new Promise<void>((resolve) => {
            if (stream === null || stream.readableEnded || stream.destroyed) resolve();
            else stream.once('close', () => resolve());
          }),
      ),
    );
    return {
      code,
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs a command and throws with its output when it does not exit 0. */
export async function runChecked(
  name: string,
  command: string,
  args: readonly string[],
  options: CommandOptions = {},
): Promise<CommandResult> {
  const result = await runCommand(name, command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${name} failed (exit ${String(result.code)}): ${command} ${args.join(' ')}\n${result.stderr}${result.stdout}`.trim(),
    );
  }
  return result;
}

/**
 * Makes Ctrl-C, SIGTERM and a normal exit stop every child. On a signal, `afterInterrupt` runs once
 * the children are stopped (to drop a database, remove temporary files), bounded to 15 s.
 */
export function installCleanup(afterInterrupt: (signal: NodeJS.Signals) => Promise<void>): void {
  const interrupt = (signal: NodeJS.Signals): void => {
    if (interrupted) {
      killAllNow();
      process.exit(130);
    }
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping every process the benchmark started...\n`);
    void stopAll()
      .then(() => Promise.race([afterInterrupt(signal), delay(15_000)]))
      .catch(() => undefined)
      .finally(() => process.exit(130));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  process.on('SIGHUP', interrupt);
  process.on('exit', killAllNow);
}
