import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheFolder } from '../app/adapters/cache-folder.ts';
import { chooseEvictions, makeCacheServices, PRUNE_INTERVAL_MS, TEMP_GRACE_MS, type CacheFile } from './cache.ts';
import type { Logger } from '../core/logger.ts';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2026-11-22T12:00:00Z');
const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet } as unknown as Logger;

const file = (path: string, bytes: number, ageMs: number, temp = false): CacheFile => ({ path, kind: path.split('/')[0] ?? '', bytes, lastUsed: NOW - ageMs, temp });

describe('chooseEvictions', () => {
  it('drops the least recently used until the rest fits, ties by path', () => {
    const files = [file('a/new', 40, 1000), file('a/old', 40, 5000), file('b/mid', 40, 3000), file('b/tie2', 10, 4000), file('b/tie1', 10, 4000)];
    const budget = { maxBytes: 60, maxAgeDays: 30 };
    // total 140: old (40) → 100, tie1 (10) → 90, tie2 (10) → 80, mid (40) → 40 ≤ 60
    expect(chooseEvictions(files, budget, NOW).map((f) => f.path)).toEqual(['a/old', 'b/tie1', 'b/tie2', 'b/mid']);
    expect(chooseEvictions(files, { maxBytes: 140, maxAgeDays: 30 }, NOW)).toEqual([]);
  });

  it('drops entries unused for longer than the age limit whatever the total, and stale temporary files only', () => {
    const files = [file('a/stale', 1, 31 * DAY), file('a/fresh', 1, 29 * DAY), file('a/.x.tmp', 1, TEMP_GRACE_MS + 1, true), file('a/.y.tmp', 1, 1000, true)];
    expect(chooseEvictions(files, { maxBytes: 1e9, maxAgeDays: 30 }, NOW).map((f) => f.path)).toEqual(['a/stale', 'a/.x.tmp']);
  });

  it('counts a temporary file being written towards the total without removing it', () => {
    const files = [file('a/entry', 50, 1000), file('a/.w.tmp', 100, 10, true)];
    // 150 > 120: the entry goes, the write in progress stays even though the rest (100) still fits only because of it
    expect(chooseEvictions(files, { maxBytes: 120, maxAgeDays: 30 }, NOW).map((f) => f.path)).toEqual(['a/entry']);
    expect(chooseEvictions(files, { maxBytes: 1e9, maxAgeDays: 30 }, NOW, true).map((f) => f.path)).toEqual(['a/entry']);
  });
});

/** A cache folder laid out as the data folder's: layers/sha256/<file>, catalog/<kind>/<file>. */
function populate(): { dir: string; write(path: string, bytes: number, ageMs: number): void } {
  const dir = join(mkdtempSync(join(tmpdir(), 'tollgate-cache-')), 'cache');
  const write = (path: string, bytes: number, ageMs: number): void => {
    const target = join(dir, path);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, Buffer.alloc(bytes, 1));
    const when = new Date(Date.now() - ageMs);
    utimesSync(target, when, when);
  };
  return { dir, write };
}

describe('the cache folder on disk', () => {
  it('lists entries by kind with their size and last use, leaving links and the prune mark out', () => {
    const { dir, write } = populate();
    write('layers/sha256/aa.v.layer', 300, 1000);
    write('catalog/images/bb.json', 20, 2000);
    write('catalog/chains/.cc.json.1.tmp', 5, 10);
    symlinkSync('/etc/passwd', join(dir, 'catalog/images/link.json'));
    writeFileSync(join(dir, '.pruned'), '');
    return cacheFolder(dir)
      .list()
      .then((files) => {
        expect(files.map((f) => [f.path, f.kind, f.bytes, f.temp])).toEqual([
          ['catalog/chains/.cc.json.1.tmp', 'catalog/chains', 5, true],
          ['catalog/images/bb.json', 'catalog/images', 20, false],
          ['layers/sha256/aa.v.layer', 'layers', 300, false],
        ]);
        expect(Math.abs((files[1]?.lastUsed ?? 0) - (Date.now() - 2000))).toBeLessThan(1500);
      });
  });

  it('is empty when the folder does not exist, and refuses paths outside it', async () => {
    const folder = cacheFolder(join(tmpdir(), 'tollgate-no-such-cache', 'cache'));
    expect(await folder.list()).toEqual([]);
    expect(await folder.lastPruned()).toBeUndefined();
    await folder.markPruned(NOW); // nothing to mark: no error
    await expect(folder.remove('../../etc/passwd')).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(await folder.remove('catalog/gone.json')).toBe(false);
  });

  it('prunes to the budget least recently used first, marks the prune, and prunes again only when due', async () => {
    const { dir, write } = populate();
    write('layers/sha256/base.layer', 600, 1 * DAY);
    write('layers/sha256/app.layer', 300, 3 * DAY);
    write('catalog/images/old.json', 100, 5 * DAY);
    write('catalog/chains/ancient.json', 10, 40 * DAY);
    write('catalog/chains/.crash.tmp', 50, 2 * TEMP_GRACE_MS);
    let now = Date.now();
    const services = makeCacheServices({ folder: cacheFolder(dir), budget: { maxBytes: 700, maxAgeDays: 30 }, now: () => now, log: quiet });

    const usage = await services.usage();
    expect(usage.bytes).toBe(1060);
    expect(usage.kinds).toEqual([
      { kind: 'catalog/chains', files: 1, bytes: 10 },
      { kind: 'catalog/images', files: 1, bytes: 100 },
      { kind: 'layers', files: 2, bytes: 900 },
      { kind: 'temporary', files: 1, bytes: 50 },
    ]);

    const first = await services.pruneIfDue();
    // the crash leftover and the 40-day-old chain by age, then old.json and app.layer by last use
    expect(first).toMatchObject({ removedFiles: 4, removedBytes: 460, files: 1, bytes: 600 });
    expect(readdirSync(join(dir, 'layers/sha256'))).toEqual(['base.layer']);
    expect(readdirSync(join(dir, 'catalog/images'))).toEqual([]);

    write('catalog/images/new.json', 500, 0);
    now += PRUNE_INTERVAL_MS - 1000;
    expect(await services.pruneIfDue()).toBeUndefined(); // pruned minutes ago
    now += 2000;
    expect(await services.pruneIfDue()).toMatchObject({ removedFiles: 1, removedBytes: 600, bytes: 500 }); // base.layer was used least recently
  });

  it('prunes when the last mark is in the future (a clock set back), and removes everything with all', async () => {
    const { dir, write } = populate();
    write('catalog/images/a.json', 10, 1000);
    write('catalog/images/.b.tmp', 10, 0);
    const folder = cacheFolder(dir);
    await folder.markPruned(Date.now() + 365 * DAY);
    const services = makeCacheServices({ folder, budget: { maxBytes: 1e9, maxAgeDays: 30 }, now: () => Date.now(), log: quiet });
    expect(await services.pruneIfDue()).toMatchObject({ removedFiles: 0 });
    expect(await services.prune({ all: true })).toMatchObject({ removedFiles: 1, files: 1 });
    expect(readdirSync(join(dir, 'catalog/images'))).toEqual(['.b.tmp']); // a write in progress stays
  });
});
