import { spawn } from 'node:child_process';

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Feed this to the child's standard input. */
  readonly input?: string | Buffer;
  /** Keep standard output (default true); false streams it to our standard error instead. */
  readonly capture?: boolean;
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a real tool; rejects with its standard error when it exits non-zero. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => {
      if (options.capture === false) process.stderr.write(chunk);
      else out.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) resolvePromise({ stdout, stderr });
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${String(code)}`}):\n${stderr.slice(-4000)}`));
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Runs `bash -o pipefail -c script` (for pipelines such as tar | podman import). */
export function runShell(script: string, options: RunOptions = {}): Promise<RunResult> {
  return run('bash', ['-o', 'pipefail', '-c', script], options);
}

/** Single-quotes a value for a shell script. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}
