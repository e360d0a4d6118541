import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IN_PLACE_READ_BYTES, readFileRange, readWholeFile } from './file-read.ts';

const work = mkdtempSync(join(tmpdir(), 'tollgate-file-read-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const small = randomBytes(1000);
const big = randomBytes(IN_PLACE_READ_BYTES + 5000);
writeFileSync(join(work, 'small'), small);
writeFileSync(join(work, 'big'), big);
writeFileSync(join(work, 'empty'), '');

describe('image/file-read', () => {
  it('reads a whole file in place (small) or through the thread pool (big): the same bytes either way', async () => {
    expect((await readWholeFile(join(work, 'small'))).equals(small)).toBe(true);
    expect((await readWholeFile(join(work, 'big'))).equals(big)).toBe(true);
    // the bound moved: the small file through the pool, the big one in place
    expect((await readWholeFile(join(work, 'small'), { inPlaceUpTo: 10 })).equals(small)).toBe(true);
    expect((await readWholeFile(join(work, 'big'), { inPlaceUpTo: big.length })).equals(big)).toBe(true);
    expect((await readWholeFile(join(work, 'empty'))).length).toBe(0);
  });

  it('shows the size to `check` before reading, whose refusal is the answer; file system errors come through', async () => {
    const seen: number[] = [];
    await readWholeFile(join(work, 'big'), { check: (size) => void seen.push(size) });
    expect(seen).toEqual([big.length]);
    const refusal = new Error('too big');
    await expect(readWholeFile(join(work, 'big'), { check: () => { throw refusal; } })).rejects.toBe(refusal);
    await expect(readWholeFile(join(work, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reads a range on either side of the bound, shorter when the file ends first', async () => {
    expect((await readFileRange(join(work, 'small'), 10, 100)).equals(small.subarray(10, 110))).toBe(true);
    expect((await readFileRange(join(work, 'big'), 7, big.length - 7)).equals(big.subarray(7))).toBe(true);
    expect((await readFileRange(join(work, 'small'), 900, 500)).equals(small.subarray(900))).toBe(true);
    expect((await readFileRange(join(work, 'big'), 100, big.length)).equals(big.subarray(100))).toBe(true);
    await expect(readFileRange(join(work, 'missing'), 0, 1)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
