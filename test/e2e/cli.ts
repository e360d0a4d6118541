/** Runs the real CLI (bin/tollgate.js on the project's Node 24) as a child process, for e2e tests. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const NODE = join(ROOT, 'node_modules', '.bin', 'node');

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Run the built bundle (dist/cli) instead of src/ (TOLLGATE_FROM_DIST). */
  readonly fromDist?: boolean;
  /** A command to run the CLI under (e.g. ['/usr/bin/time', '-v']). */
  readonly wrapper?: readonly string[];
  /** More environment variables. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Exit code, standard output and error of one `tollgate …` run; never rejects. */
export function runTollgate(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  const [command, ...prefix] = [...(options.wrapper ?? []), NODE, 'bin/tollgate.js', ...args];
  const env = { ...process.env, NO_COLOR: '1', TOLLGATE_FROM_DIST: options.fromDist === true ? '1' : '0', ...options.env };
  return new Promise((resolve) => {
    execFile(command as string, prefix, { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}
