import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, truncate, utimes, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { craftTar, gzip } from '../testing/tar-craft.ts';
import { writeOciLayout } from '../testing/oci-craft.ts';
import { createLayerCache, layerCacheVariant, UNCACHED_BLOB_BYTES } from './layer-cache.ts';
import { cacheEveryLayer } from '../testing/layer-cache.ts';
import { DEFAULT_IMAGE_LIMITS } from './limits.ts';
import { readImage } from './read-image.ts';
import { headProbe, runProbe, type ProbeSpec } from './probe.ts';
import { wantPaths } from './want.ts';

let work: string;
let lower: string; // one layer
let upper: string; // the same layer plus one more
let lowerDigest: `sha256:${string}`;
let lowerBlobBytes: number; // the shared layer's blob
let topBlobBytes: number; // upper's second layer's blob
const big = Buffer.alloc(400_000, 0x62); // stored uncompressed (≥ 256 KiB)
const want = wantPaths(['/etc/*', '/usr/bin/*']);
const wantKey = 'unit';

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tollgate-layercache-'));
  const l0 = craftTar([
    { name: 'etc/', type: '5' },
    { name: 'etc/os-release', body: 'ID=lab\n' },
    { name: 'etc/hosts', body: '127.0.0.1 localhost\n' },
    { name: 'usr/bin/', type: '5' },
    { name: 'usr/bin/tool', body: big, mode: 0o755 },
    { name: 'usr/bin/tool2', type: '1', linkname: 'usr/bin/tool' },
    { name: 'usr/share/', type: '5' },
    { name: 'usr/share/readme', body: 'not wanted\n' },
  ]);
  const l1 = craftTar([{ name: 'etc/os-release', body: 'ID=lab2\n' }, { name: 'etc/.wh.hosts' }, { name: 'etc/motd', type: '2', linkname: 'os-release' }]);
  const gz0 = gzip(l0);
  lowerDigest = `sha256:${createHash('sha256').update(gz0).digest('hex')}`;
  const gz1 = gzip(l1);
  lowerBlobBytes = gz0.length;
  topBlobBytes = gz1.length;
  lower = `oci:${writeOciLayout(join(work, 'lower'), { layers: [gz0], tars: [l0], tag: 'v1' }).dir}:v1`;
  upper = `oci:${writeOciLayout(join(work, 'upper'), { layers: [gz0, gz1], tars: [l0, l1], tag: 'v1' }).dir}:v1`;
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function layerFiles(dir: string): Promise<string[]> {
  return (await readdir(join(dir, 'sha256'))).filter((n) => n.endsWith('.layer')).map((n) => join(dir, 'sha256', n));
}

describe('layer cache in readImage', () => {
  it('reads a layer whose blob is under minBlobBytes from the blob every time: never looked up, never written', async () => {
    expect(Math.max(lowerBlobBytes, topBlobBytes)).toBeLessThan(UNCACHED_BLOB_BYTES); // the premise: both are small
    const dir = join(work, 'c-small');
    const cold = await readImage(upper, { want });
    const cache = createLayerCache(dir); // the default threshold, as the CLI runs
    expect(cache.minBlobBytes).toBe(UNCACHED_BLOB_BYTES);

    const first = await readImage(upper, { want, layerCache: { cache, wantKey } });
    const second = await readImage(upper, { want, layerCache: { cache, wantKey } });

    for (const read of [first, second]) {
      expect(read.stats).toEqual({ layersRead: 2, layersCached: 0 });
      expect(read.index).toEqual(cold.index);
      expect((await read.tree.readFile('/etc/os-release')).toString()).toBe('ID=lab2\n');
    }
    await expect(readdir(dir)).rejects.toMatchObject({ code: 'ENOENT' }); // not even its folder was made
  });

  it('caches the layers at or over minBlobBytes and reads the smaller ones from their blobs, with the same results', async () => {
    expect(topBlobBytes).toBeLessThan(lowerBlobBytes);
    const dir = join(work, 'c-mixed');
    const cold = await readImage(upper, { want });
    const cache = createLayerCache(dir, { minBlobBytes: lowerBlobBytes });

    const first = await readImage(upper, { want, layerCache: { cache, wantKey } });
    const second = await readImage(upper, { want, layerCache: { cache, wantKey } });

    expect(first.stats).toEqual({ layersRead: 2, layersCached: 0 });
    expect(second.stats).toEqual({ layersRead: 1, layersCached: 1 });
    expect(await layerFiles(dir)).toHaveLength(1);
    expect(second.index).toEqual(cold.index);
    expect(second.layers).toEqual(cold.layers);
    for (const path of ['/etc/os-release', '/etc/motd', '/usr/bin/tool']) {
      expect((await second.tree.readFile(path)).equals(await cold.tree.readFile(path))).toBe(true);
    }
  });

  it('replays a shared lower layer from the cache: same index, same contents (captured, large and slow-path files)', async () => {
    const dir = join(work, 'c1');
    const cold = await readImage(upper, { want });
    await readImage(lower, { want, layerCache: { cache: cacheEveryLayer(dir), wantKey } });

    const warm = await readImage(upper, { want, layerCache: { cache: cacheEveryLayer(dir), wantKey } });

    expect(warm.stats).toEqual({ layersRead: 1, layersCached: 1 });
    expect(warm.index).toEqual(cold.index);
    expect(warm.layers).toEqual(cold.layers);
    for (const path of ['/etc/os-release', '/etc/motd', '/usr/bin/tool', '/usr/bin/tool2', '/usr/share/readme']) {
      expect((await warm.tree.readFile(path)).equals(await cold.tree.readFile(path))).toBe(true);
    }
    expect(warm.tree.get('/etc/hosts')).toBeUndefined();
  });

  it('keeps probe results with the layer: replayed from the cache they equal the walk\'s, hard links included', async () => {
    const dir = join(work, 'c-probes');
    const probes = [headProbe('head@1', 4, (entry) => entry.path.startsWith('/usr/bin/'))];
    const cold = await readImage(upper, { want, probes });
    expect(cold.tree.probe?.('/usr/bin/tool', 'head@1')?.toString()).toBe('bbbb');
    await readImage(lower, { want, probes, layerCache: { cache: cacheEveryLayer(dir), wantKey: `${wantKey}/probes` } });
    const warm = await readImage(upper, { want, probes, layerCache: { cache: cacheEveryLayer(dir), wantKey: `${wantKey}/probes` } });
    expect(warm.stats).toEqual({ layersRead: 1, layersCached: 1 });
    for (const path of ['/usr/bin/tool', '/usr/bin/tool2']) {
      expect(warm.tree.probe?.(path, 'head@1')?.toString()).toBe('bbbb');
    }
    // not probed: another name, a file the probe did not want, a folder
    expect(warm.tree.probe?.('/usr/bin/tool', 'other@1')).toBeUndefined();
    expect(warm.tree.probe?.('/etc/os-release', 'head@1')).toBeUndefined();
    expect(warm.tree.probe?.('/usr/bin', 'head@1')).toBeUndefined();
    // the same bytes as running the probe over the whole file
    expect(runProbe(probes[0] as ProbeSpec, big).toString()).toBe('bbbb');
  });

  it('misses (never trusts) a truncated, foreign or tampered cache file', async () => {
    const dir = join(work, 'c2');
    const problems: string[] = [];
    const cache = cacheEveryLayer(dir, { onProblem: (p) => problems.push(p.reason) });
    await readImage(lower, { want, layerCache: { cache, wantKey } });
    const [file] = await layerFiles(dir);
    const original = await readFile(file as string);

    await truncate(file as string, (await stat(file as string)).size - 10);
    expect((await readImage(lower, { want, layerCache: { cache, wantKey } })).stats).toEqual({ layersRead: 1, layersCached: 0 });

    await writeFile(file as string, Buffer.concat([original.subarray(0, -1), Buffer.from([(original.at(-1) as number) ^ 1])]));
    expect((await readImage(lower, { want, layerCache: { cache, wantKey } })).stats).toEqual({ layersRead: 1, layersCached: 0 });

    await writeFile(file as string, Buffer.from('not a cache file at all, but long enough to have a footer.....'));
    expect((await readImage(lower, { want, layerCache: { cache, wantKey } })).stats).toEqual({ layersRead: 1, layersCached: 0 });

    expect(problems.length).toBeGreaterThanOrEqual(3);
    // each miss rewrote a good entry
    expect((await readImage(lower, { want, layerCache: { cache, wantKey } })).stats).toEqual({ layersRead: 0, layersCached: 1 });
  });

  it('re-reads from the blob when stored contents fail their hash', async () => {
    const dir = join(work, 'c3');
    const problems: string[] = [];
    const cache = cacheEveryLayer(dir, { onProblem: (p) => problems.push(p.reason) });
    await readImage(lower, { want, layerCache: { cache, wantKey } });
    const [file] = await layerFiles(dir);
    const bytes = await readFile(file as string);
    const at = bytes.indexOf(big.subarray(0, 64)); // the large file is stored as is
    expect(at).toBeGreaterThan(0);
    bytes[at + 10] = 0x63;
    await writeFile(file as string, bytes);

    const warm = await readImage(lower, { want, layerCache: { cache, wantKey } });

    expect(warm.stats.layersCached).toBe(1);
    expect((await warm.tree.readFile('/usr/bin/tool')).equals(big)).toBe(true);
    expect(problems).toContain('stored content does not match its hash');
  });

  it('reads correctly (contents kept in memory) when the cache folder cannot be written', async () => {
    const blocked = join(work, 'blocked');
    await writeFile(blocked, 'a file where the cache folder should be');
    const problems: string[] = [];
    const cache = cacheEveryLayer(join(blocked, 'layers'), { onProblem: (p) => problems.push(p.reason) });
    const cold = await readImage(upper, { want });

    const result = await readImage(upper, { want, layerCache: { cache, wantKey } });

    expect(result.stats).toEqual({ layersRead: 2, layersCached: 0 });
    expect(result.index).toEqual(cold.index);
    for (const path of ['/etc/os-release', '/usr/bin/tool', '/usr/share/readme']) {
      expect((await result.tree.readFile(path)).equals(await cold.tree.readFile(path))).toBe(true);
    }
    expect(problems.some((reason) => reason.startsWith('not written'))).toBe(true);
  });

  it('writes the same file in place (a small layer) as through the thread pool, and loads it alike', async () => {
    const entries = [
      { ordinal: 0, path: '/etc', type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 0 },
      { ordinal: 1, path: '/etc/os-release', type: 'file', mode: 0o644, uid: 0, gid: 0, size: 7, mtime: 0 },
      { ordinal: 2, path: '/usr/bin/tool', type: 'file', mode: 0o755, uid: 0, gid: 0, size: big.length, mtime: 0 },
    ] as const;
    const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    const contents = new Map([[1, Buffer.from('ID=lab\n')], [2, big]]);
    const files: Buffer[] = [];
    for (const small of [true, false]) {
      const dir = join(work, `writers-${String(small)}`);
      const cache = cacheEveryLayer(dir);
      const writer = cache.begin(lowerDigest, 'v', { small });
      for (const [ordinal, bytes] of contents) writer.content(ordinal, sha(bytes), bytes);
      const loadedLayer = await writer.finish({
        diffId: `sha256:${'1'.repeat(64)}`,
        compression: 'gzip',
        compressedBytes: 100,
        uncompressedBytes: 500_000,
        entries: entries.map((entry) => ({ entry, body: contents.has(entry.ordinal) ? { sha256: sha(contents.get(entry.ordinal) as Buffer) } : undefined })),
      });
      expect(loadedLayer).toBeDefined();
      expect((await loadedLayer?.readContent(2))?.equals(big)).toBe(true);
      const [file, ...others] = await layerFiles(dir);
      expect(others).toEqual([]);
      files.push(await readFile(file as string));
      const again = await cache.get(lowerDigest, 'v');
      expect(again?.entries.map((e) => e.entry.path)).toEqual(['/etc', '/etc/os-release', '/usr/bin/tool']);
      expect((await again?.readContent(1))?.toString()).toBe('ID=lab\n');
    }
    expect((files[0] as Buffer).equals(files[1] as Buffer)).toBe(true);
  });

  it('keys by want signature and limits: a different wantKey or maxFileReadBytes misses', async () => {
    const dir = join(work, 'c4');
    const cache = cacheEveryLayer(dir);
    await readImage(lower, { want, layerCache: { cache, wantKey } });
    expect((await readImage(lower, { want, layerCache: { cache, wantKey: 'other' } })).stats.layersCached).toBe(0);
    expect((await readImage(lower, { want, limits: { maxFileReadBytes: 1000 }, layerCache: { cache, wantKey } })).stats.layersCached).toBe(0);
    expect((await readImage(lower, { want, layerCache: { cache, wantKey } })).stats.layersCached).toBe(1);
  });

  it('marks an entry used when it is loaded, and answers a miss for contents pruned from under a loaded entry', async () => {
    const dir = join(work, 'c6');
    const problems: string[] = [];
    const cache = cacheEveryLayer(dir, { onProblem: (p) => problems.push(p.reason) });
    await readImage(lower, { want, layerCache: { cache, wantKey } });
    const [file] = await layerFiles(dir);
    const lastWeek = new Date(Date.now() - 7 * 24 * 3600 * 1000);
    await utimes(file as string, lastWeek, lastWeek);

    const loaded = await cache.get(lowerDigest, layerCacheVariant(wantKey, DEFAULT_IMAGE_LIMITS, false));

    expect(loaded).toBeDefined();
    expect((await stat(file as string)).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
    const captured = loaded?.entries.find((e) => e.entry.path === '/etc/os-release');
    // a prune removes the file after the header was read: the contents are a miss, never an error
    await rm(file as string);
    expect(await loaded?.readContent(captured?.entry.ordinal ?? -1)).toBeUndefined();
    expect(problems.some((reason) => reason.includes('ENOENT'))).toBe(true);
    expect(await cache.get(lowerDigest, layerCacheVariant(wantKey, DEFAULT_IMAGE_LIMITS, false))).toBeUndefined();
  });

  it('still refuses a layer whose cached diff id disagrees with the image config', async () => {
    // the cache is keyed by blob digest; a config naming another diff id for that blob is a mismatch
    const dir = join(work, 'c5');
    const cache = cacheEveryLayer(dir);
    const l0 = craftTar([{ name: 'a', body: 'a\n' }]);
    const other = craftTar([{ name: 'b', body: 'b\n' }]);
    const good = `oci:${writeOciLayout(join(work, 'good'), { layers: [gzip(l0)], tars: [l0], tag: 'v1' }).dir}:v1`;
    const bad = `oci:${writeOciLayout(join(work, 'bad'), { layers: [gzip(l0)], tars: [other], tag: 'v1' }).dir}:v1`;
    await readImage(good, { want, layerCache: { cache, wantKey } });
    await expect(readImage(bad, { want, layerCache: { cache, wantKey } })).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
  });
});
