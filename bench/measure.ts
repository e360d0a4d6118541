/**
 * Timing and peak-memory measurement for benchmarks.
 *  - child processes: wall time around the spawn, peak RSS from GNU time's
 *    "Maximum resident set size" (`/usr/bin/time -v`, Debian package `time`), which covers
 *    the child and every descendant it waited for; CPU seconds (user + system) from its "User time"
 *    and "System time" lines, the same scope: steadier than wall time on a shared, loaded machine.
 *  - functions in this process: wall time and process.resourceUsage().maxRSS (a high-water
 *    mark of this whole process, so measure such functions in a fresh process when it matters);
 *    CPU seconds from process.cpuUsage() around the call.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface Measurement {
  readonly seconds: number;
  /** Peak resident set size in bytes. */
  readonly peakRss: number;
  /** User + system CPU seconds, where measured (GNU time for children, cpuUsage in process). */
  readonly cpuSeconds?: number;
}

export interface CommandOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Where the command's standard output goes: discarded by default. */
  readonly stdout?: 'ignore' | 'inherit';
  /** Given the command's standard error (GNU time's report included) after a successful run. */
  readonly onStderr?: (text: string) => void;
}

const GNU_TIME = '/usr/bin/time';

/** Runs a command under `/usr/bin/time -v`; rejects if it exits non-zero. */
export function measureCommand(command: string, args: readonly string[], options: CommandOptions = {}): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(GNU_TIME, ['-v', command, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', options.stdout ?? 'ignore', 'pipe'],
    });
    const stderr: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const text = Buffer.concat(stderr).toString('utf8');
      if (code !== 0) {
        reject(new Error(`${command} ${args.join(' ')} exited ${String(code)}:\n${text.slice(-3000)}`));
        return;
      }
      const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
      if (match?.[1] === undefined) {
        reject(new Error(`no "Maximum resident set size" in ${GNU_TIME} -v output (is the Debian package "time" installed?)`));
        return;
      }
      options.onStderr?.(text);
      const user = /User time \(seconds\): ([\d.]+)/.exec(text)?.[1];
      const system = /System time \(seconds\): ([\d.]+)/.exec(text)?.[1];
      const cpu = user === undefined || system === undefined ? {} : { cpuSeconds: Number(user) + Number(system) };
      resolve({ seconds, peakRss: Number(match[1]) * 1024, ...cpu });
    });
  });
}

/** Times an async function in this process. */
export async function measureFunction(fn: () => Promise<unknown>): Promise<Measurement> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await fn();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { seconds, peakRss: process.resourceUsage().maxRSS * 1024, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** Runs a measurement `repeats` times; median time, highest peak memory. */
export async function repeat(repeats: number, once: () => Promise<Measurement>): Promise<Measurement> {
  const runs: Measurement[] = [];
  for (let i = 0; i < repeats; i += 1) runs.push(await once());
  return summarise(runs);
}

/** The median (the lower middle value of an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

/** Several runs as one: median time, median CPU seconds (when every run has them), highest peak memory. */
export function summarise(runs: readonly Measurement[]): Measurement {
  const cpu = runs.map((run) => run.cpuSeconds).filter((value): value is number => value !== undefined);
  return {
    seconds: median(runs.map((run) => run.seconds)),
    peakRss: Math.max(...runs.map((run) => run.peakRss)),
    ...(cpu.length === runs.length && cpu.length > 0 ? { cpuSeconds: median(cpu) } : {}),
  };
}

export function formatSeconds(seconds: number): string {
  return seconds < 10 ? `${seconds.toFixed(2)} s` : `${seconds.toFixed(1)} s`;
}

/** CPU seconds, or a dash where not measured. */
export function formatCpu(measurement: Measurement): string {
  return measurement.cpuSeconds === undefined ? '-' : formatSeconds(measurement.cpuSeconds);
}

export function formatBytes(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(0)} MB`;
}

/** Prints rows as an aligned text table. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
