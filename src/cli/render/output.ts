import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
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
  // A result up to IN_PLACE_WRITE_CHARS is written in place: through fs.promises a file costs three
  // thread-pool round trips (open, write, close), ~2-3 ms of a base-layers-cached `sbom` (measured);
  // a bigger one stays on the pool so the event loop is never held long.
  if (body.length <= IN_PLACE_WRITE_CHARS) writeFileSync(options.output, body);
  else await writeFile(options.output, body);
}

/** Results up to this many UTF-16 units (at most 3 MiB of UTF-8) are written synchronously. */
export const IN_PLACE_WRITE_CHARS = 1024 * 1024;

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
