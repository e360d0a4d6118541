import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { craftTar, gzip, zstd } from '../testing/tar-craft.ts';
import { sha256Hex, tarLayout, writeOciLayout } from '../testing/oci-craft.ts';
import { cacheEveryLayer } from '../testing/layer-cache.ts';
import { createFileIndexStore } from './file-index-store.ts';
import { resolveLimits } from './limits.ts';
import { readImage, readLayerEntries } from './read-image.ts';
import { openImageSource } from './sources/registry.ts';
import { SMALL_LAYER_BYTES } from './layer/read-layer.ts';
import type { ImageSource } from './types.ts';
import { wantPaths } from './want.ts';

let work: string;
let source: string;
let archive: string;
const big = Buffer.alloc(300_000, 0x61);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tollgate-readimage-'));
  const l0 = craftTar([
    { name: 'etc/', type: '5' },
    { name: 'etc/os-release', body: 'ID=lab\n' },
    { name: 'usr/bin/', type: '5' },
    { name: 'usr/bin/tool', body: big, mode: 0o755 },
    { name: 'usr/bin/tool2', type: '1', linkname: 'usr/bin/tool' },
  ]);
  const l1 = craftTar([{ name: 'etc/os-release', body: 'ID=lab2\n' }, { name: 'etc/motd', type: '2', linkname: 'os-release' }]);
  const layout = writeOciLayout(join(work, 'layout'), {
    layers: [gzip(l0), zstd(l1)],
    tars: [l0, l1],
    tag: 'v1',
    containerConfig: { User: 'app', Cmd: ['run'] },
  });
  source = `oci:${layout.dir}:v1`;
  archive = tarLayout(layout.dir, join(work, 'image.oci.tar'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('readImage', () => {
  it('captures wanted files in the walk and re-reads the others from their layer', async () => {
    const result = await readImage(source, { want: wantPaths(['/etc/*']) });
    expect(result.layers.map((l) => l.compression)).toEqual(['gzip', 'zstd']);
    expect(result.index.map((e) => e.path)).toEqual(['/', '/etc', '/etc/motd', '/etc/os-release', '/usr', '/usr/bin', '/usr/bin/tool', '/usr/bin/tool2']);
    expect(result.tree.get('/etc/os-release')).toMatchObject({ sha256: sha256Hex('ID=lab2\n'), layer: result.layers[1]?.diffId });
    expect((await result.tree.readFile('/etc/motd')).toString()).toBe('ID=lab2\n');
    expect(await result.tree.readFile('/usr/bin/tool2')).toEqual(big); // slow path through the hard link
    expect(result.tree.get('/usr/bin/tool2')).toMatchObject({ type: 'hardlink', size: big.length, sha256: sha256Hex(big) });
    expect(result.image.config.config?.User).toBe('app');
  });

  it('reads layout files small (in place) and big (through the thread pool) alike: a 300 KB config, a layer blob past the small-layer bound', async () => {
    const value = 'x'.repeat(300_000);
    const blob = randomBytes(400_000);
    const tar = craftTar([{ name: 'etc/os-release', body: 'ID=big\n' }, { name: 'opt/noise.bin', body: blob }]);
    const layer = gzip(tar);
    expect(layer.length).toBeGreaterThan(256 * 1024);
    const layout = writeOciLayout(join(work, 'big-config'), { layers: [layer], tars: [tar], tag: 'v1', containerConfig: { Env: [`BIG=${value}`] } });
    const result = await readImage(`oci:${layout.dir}:v1`, { want: wantPaths(['/etc/*']) });
    expect(result.image.config.config?.Env).toContain(`BIG=${value}`);
    expect(result.index.map((e) => e.path)).toEqual(['/', '/etc', '/etc/os-release', '/opt', '/opt/noise.bin']);
    expect(result.tree.get('/opt/noise.bin')).toMatchObject({ sha256: sha256Hex(blob), size: blob.length });
    // the same from an OCI archive (members read in place or through the thread pool by size)
    const fromArchive = await readImage(`oci-archive:${tarLayout(layout.dir, join(work, 'big-config.oci.tar'))}:v1`, { want: wantPaths(['/etc/*']) });
    expect(fromArchive.image.digest).toBe(result.image.digest);
    expect(fromArchive.index).toEqual(result.index);
    expect(fromArchive.image.config.config?.Env).toContain(`BIG=${value}`);
  });

  it('reads a layer blob up to SMALL_LAYER_BYTES whole and streams a bigger one, to the same index either way', async () => {
    const small = craftTar([{ name: 'etc/os-release', body: 'ID=small\n' }]);
    const bigTar = craftTar([{ name: 'opt/noise.bin', body: randomBytes(300_000) }]);
    const layers = [gzip(small), gzip(bigTar)];
    expect(layers[0]!.length).toBeLessThanOrEqual(SMALL_LAYER_BYTES);
    expect(layers[1]!.length).toBeGreaterThan(SMALL_LAYER_BYTES);
    const layout = writeOciLayout(join(work, 'read-paths'), { layers, tars: [small, bigTar], tag: 'v1' });
    // the source as it is, with each way of reading a layer counted
    const calls = { whole: [] as number[], streamed: [] as number[] };
    const inner = openImageSource(`oci:${layout.dir}:v1`, resolveLimits());
    const counted: ImageSource = {
      kind: inner.kind,
      description: inner.description,
      close: () => inner.close(),
      async resolve(options) {
        const image = await inner.resolve(options);
        const { readLayerBlob } = image;
        expect(readLayerBlob).toBeDefined(); // a layout can read a blob in one piece
        return {
          ...image,
          openLayer: (layer) => {
            calls.streamed.push(image.layers.indexOf(layer));
            return image.openLayer(layer);
          },
          readLayerBlob: (layer) => {
            calls.whole.push(image.layers.indexOf(layer));
            return (readLayerBlob as NonNullable<typeof readLayerBlob>)(layer);
          },
        };
      },
    };

    const result = await readImage(counted, { want: wantPaths(['/etc/*']) });

    expect(calls).toEqual({ whole: [0], streamed: [1] });
    expect(result.index).toEqual((await readImage(`oci:${layout.dir}:v1`, { want: wantPaths(['/etc/*']) })).index);
    expect((await result.tree.readFile('/etc/os-release')).toString()).toBe('ID=small\n');
  });

  it('reads an OCI archive in place to the same index', async () => {
    const fromLayout = await readImage(source);
    const fromArchive = await readImage(`oci-archive:${archive}:v1`);
    expect(fromArchive.image.digest).toBe(fromLayout.image.digest);
    expect(fromArchive.index).toEqual(fromLayout.index);
    expect(await fromArchive.tree.readFile('/usr/bin/tool')).toEqual(big);
  });

  it('lists the entries of the upper layers as written (no contents), streamed or replayed from the layer cache alike', async () => {
    const opened = openImageSource(source, resolveLimits());
    try {
      const image = await opened.resolve();
      const streamed = await readLayerEntries(image, 1);
      expect(streamed.map((layer) => layer.map((e) => [e.path, e.type]))).toEqual([
        [
          ['/etc/os-release', 'file'],
          ['/etc/motd', 'symlink'],
        ],
      ]);
      const cache = cacheEveryLayer(join(work, 'entries-cache'));
      await readImage(opened, { layerCache: { cache, wantKey: 'w' } }); // fills the cache
      expect((await readImage(opened, { layerCache: { cache, wantKey: 'w' } })).stats).toEqual({ layersRead: 0, layersCached: 2 });
      expect(await readLayerEntries(image, 1, { layerCache: { cache, wantKey: 'w' } })).toEqual(streamed);
      expect((await readLayerEntries(image, 0)).map((layer) => layer.length)).toEqual([5, 2]);
      expect(await readLayerEntries(image, 2)).toEqual([]);
    } finally {
      await opened.close();
    }
  });

  it('refuses files over maxFileReadBytes on read', async () => {
    const result = await readImage(source, { limits: { maxFileReadBytes: 1000 } });
    await expect(result.tree.readFile('/usr/bin/tool')).rejects.toMatchObject({ code: 'LIMIT_FILE_SIZE' });
    expect((await result.tree.readFile('/etc/os-release')).toString()).toBe('ID=lab2\n');
  });

  it('indexes a dir: source with hashes', async () => {
    const root = join(work, 'rootfs');
    await mkdir(join(root, 'etc'), { recursive: true });
    await writeFile(join(root, 'etc/os-release'), 'ID=dir\n');
    const result = await readImage(`dir:${root}`);
    expect(result.image.sourceKind).toBe('dir');
    expect(result.image.digest).toBeUndefined();
    expect(result.index.find((e) => e.path === '/etc/os-release')).toMatchObject({ sha256: sha256Hex('ID=dir\n'), layer: 'dir:' });
  });

  it('needs a tag when a layout holds several images, and reports unknown tags', async () => {
    const dir = join(work, 'two');
    writeOciLayout(dir, { layers: [craftTar([{ name: 'a', body: 'a' }])], tag: 'a', layerMediaType: 'application/vnd.oci.image.layer.v1.tar' });
    const first = await readFileJson(join(dir, 'index.json'));
    writeOciLayout(dir, { layers: [craftTar([{ name: 'b', body: 'b' }])], tag: 'b', layerMediaType: 'application/vnd.oci.image.layer.v1.tar' });
    const second = await readFileJson(join(dir, 'index.json'));
    await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [...first.manifests, ...second.manifests] }));
    await expect(readImage(`oci:${dir}`)).rejects.toMatchObject({ code: 'SOURCE_INVALID' });
    await expect(readImage(`oci:${dir}:zzz`)).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    expect((await readImage(`oci:${dir}:b`)).index.map((e) => e.path)).toEqual(['/', '/b']);
    await writeFile(join(dir, 'oci-layout'), '{}');
    await expect(readImage(`oci:${dir}:b`)).rejects.toMatchObject({ code: 'OCI_LAYOUT_INVALID' });
  });
});

async function readFileJson(path: string): Promise<{ manifests: unknown[] }> {
  const { readFile } = await import('node:fs/promises');
  return JSON.parse(await readFile(path, 'utf8')) as { manifests: unknown[] };
}

describe('createFileIndexStore', () => {
  it('stores canonical, zstd-compressed indexes by digest, atomically', async () => {
    const result = await readImage(source);
    const digest = result.image.digest as `sha256:${string}`;
    const store = createFileIndexStore(join(work, 'data', 'file-index'));
    const path = await store.save(digest, result.index);
    expect(path).toBe(join(work, 'data', 'file-index', 'sha256', `${digest.slice(7)}.json.zst`));
    expect(await readdir(join(work, 'data', 'file-index', 'sha256'))).toEqual([`${digest.slice(7)}.json.zst`]);
    // a real zstd stream: the system zstd tool decodes it to canonical JSON
    const text = execFileSync('zstd', ['-dc', path]).toString();
    expect(text.startsWith('{"digest":')).toBe(true);
    expect((await store.load(digest))?.entries).toEqual(JSON.parse(JSON.stringify(result.index)));
    expect(await store.load(`sha256:${'0'.repeat(64)}`)).toBeUndefined();
    await expect(store.load('sha256:../../etc' as `sha256:${string}`)).rejects.toMatchObject({ code: 'DIGEST_INVALID' });
  });
});
