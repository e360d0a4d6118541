import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';

export interface OutputOptions {
  readonly output?: string | undefined;
}

/** Writes a command's result to --output FILE or standard output (process.stdout unless `stdout` is given). */
export async function writeOutput(text: string, options: OutputOptions, stdout?: Writable): Promise<void> {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (options.output === undefined || options.output === '-') {
    const out = stdout ?? process.stdout;
    if (!out.write(body)) await once(out, 'drain');
    return;
  }
  await writeFile(options.output, body);
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
