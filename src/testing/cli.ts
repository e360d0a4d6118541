import { execFile } from 'node:child_process';

const MAIN = new URL('../cli/main.ts', import.meta.url).pathname;

/** One `tollgate …` run from the sources on this Node (no colour): exit code, standard output and error; never rejects. */
export function runCli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}
