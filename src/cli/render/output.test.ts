import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IN_PLACE_WRITE_CHARS, writeOutput } from './output.ts';

const work = mkdtempSync(join(tmpdir(), 'tollgate-output-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// one result written in place, one through the thread pool: they must not differ in any way a caller sees
const sizes = { small: 'é€ ok', big: 'é€ x'.repeat(Math.ceil(IN_PLACE_WRITE_CHARS / 4) + 1) };

describe('writeOutput to a file', () => {
  for (const [kind, text] of Object.entries(sizes)) {
    it(`writes the ${kind} result as UTF-8 with one final newline, replacing what the file held`, async () => {
      expect(text.length > IN_PLACE_WRITE_CHARS).toBe(kind === 'big');
      const file = join(work, `${kind}.json`);
      writeFileSync(file, 'x'.repeat(IN_PLACE_WRITE_CHARS * 4)); // longer than either: must be truncated

      await writeOutput(text, { output: file });
      expect(readFileSync(file, 'utf8')).toBe(`${text}\n`);
      await writeOutput(`${text}\n`, { output: file }); // already ends with a newline: none added
      expect(readFileSync(file, 'utf8')).toBe(`${text}\n`);
    });

    it(`rejects (never throws synchronously) with the file system's error for a ${kind} result in a missing folder`, async () => {
      const written = writeOutput(text, { output: join(work, 'missing', 'out.json') });
      await expect(written).rejects.toMatchObject({ code: 'ENOENT' });
    });
  }
});
