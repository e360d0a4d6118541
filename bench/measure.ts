/**
 * Timing and peak-memory measurement for benchmarks.
 *  - child processes: wall time around the spawn, peak RSS from GNU time's
 *    "Maximum resident set size" (`/usr/bin/time -v`, Debian package `time`), which covers
 *    the child and every descendant it waited for.
 *  - functions in this process: wall time and process.resourceUsage().maxRSS (a high-water
 *    mark of this whole process, so measure such functions in a fresh process when it matters).
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface Measurement {
  readonly seconds: number;
  /** Peak resident set size in bytes. */
  readonly peakRss: number;
}

export interface CommandOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Where the command's standard output goes: discarded by default. */
  readonly stdout?: 'ignore' | 'inherit';
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
      resolve({ seconds, peakRss: Number(match[1]) * 1024 });
    });
  });
}

/** Times an async function in this process. */
export async function measureFunction(fn: () => Promise<unknown>): Promise<Measurement> {
  const started = performance.now();
  await fn();
  const seconds = (performance.now() - started) / 1000;
  return { seconds, peakRss: process.resourceUsage().maxRSS * 1024 };
}

/** Runs a measurement `repeats` times; median time, highest peak memory. */
export async function repeat(repeats: number, once: () => Promise<Measurement>): Promise<Measurement> {
  const runs: Measurement[] = [];
  for (let i = 0; i < repeats; i += 1) runs.push(await once());
  const times = runs.map((run) => run.seconds).sort((a, b) => a - b);
  return {
    seconds: times[Math.floor((times.length - 1) / 2)] ?? Number.NaN,
    peakRss: Math.max(...runs.map((run) => run.peakRss)),
  };
}

export function formatSeconds(seconds: number): string {
  return seconds < 10 ? `${seconds.toFixed(2)} s` : `${seconds.toFixed(1)} s`;
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
