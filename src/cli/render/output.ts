import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

export interface OutputOptions {
  readonly output?: string | undefined;
}

/** Writes a command's result to --output FILE or standard output. */
export async function writeOutput(text: string, options: OutputOptions, stdout: Writable = process.stdout): Promise<void> {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (options.output === undefined || options.output === '-') {
    if (!stdout.write(body)) await once(stdout, 'drain');
    return;
  }
  const file = createWriteStream(options.output);
  file.end(body);
  await once(file, 'finish');
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
