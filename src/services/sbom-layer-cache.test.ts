import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWantFilter, selectCataloguers } from '../catalog/index.ts';
import { silentLogger } from '../core/logger.ts';
import { openImageSource, readImage, readLayerEntries, resolveLimits, type LayerCache, type ReadImageResult } from '../image/index.ts';
import { cacheEveryLayer } from '../testing/layer-cache.ts';
import { labEnv, labImage } from '../testing/lab.ts';
import { peersAvailable } from '../testing/peers.ts';
import { makeFileCatalogCache, makeImageOpenTree, makeSbomServices, type CatalogResult, type ChainRecord, type SbomServices } from './sbom.ts';

const want = makeWantFilter(selectCataloguers());
const wantKey = 'test-want-1';

/** Every file under the cache folder (the cached layers). */
async function cacheFiles(dir: string): Promise<string[]> {
  const folder = join(dir, 'sha256');
  return (await readdir(folder)).filter((name) => name.endsWith('.layer')).map((name) => join(folder, name));
}

async function flipByte(path: string, position: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, position);
    byte[0] = (byte[0] as number) ^ 0xff;
    await handle.write(byte, 0, 1, position);
  } finally {
    await handle.close();
  }
}

/** Contents of every wanted regular file plus a few unwanted ones (the slow path), by path. */
async function readSome(result: ReadImageResult): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const files = result.index.filter((e) => e.type === 'file');
  const picked = [...files.filter((e) => want(e)).slice(0, 60), ...files.filter((e) => !want(e)).slice(0, 3)];
  for (const entry of picked) {
    const bytes = await result.tree.readFile(entry.path);
    out.set(entry.path, bytes.toString('base64'));
  }
  return out;
}

describe.skipIf(!peersAvailable('podman', 'skopeo', 'runc', 'apt-get', 'dpkg-deb', 'npm', 'umoci'))('per-layer cache over two images sharing a base', () => {
  let work: string;
  let base: string;
  let derived: string;
  let baseLayers: number;
  let derivedLayers: number;
  let cold: ReadImageResult;
  let coldContents: Map<string, string>;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tollgate-layer-cache-'));
    const lab = await labImage('debian-base');
    base = `oci-archive:${lab.ociArchive}`;
    // a real image built FROM the lab image: it shares every base layer and adds two of its own
    const context = join(work, 'context');
    execFileSync('mkdir', ['-p', context]);
    await writeFile(
      join(context, 'Containerfile'),
      `FROM ${lab.podmanRef}\nUSER root\nRUN echo derived > /opt/derived.txt && rm /etc/debian_version\nRUN mkdir -p /opt/app && cp /bin/true /opt/app/run\n`,
    );
    const env = { ...process.env, ...labEnv() };
    const tag = `localhost/tollgate-test/layer-cache-derived:${String(process.pid)}`;
    execFileSync('podman', ['build', '-q', '--network', 'none', '-t', tag, context], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const archive = join(work, 'derived.oci.tar');
    try {
      execFileSync('podman', ['save', '-q', '--format', 'oci-archive', '-o', archive, tag], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    } finally {
      execFileSync('podman', ['rmi', '-f', tag], { env, stdio: 'ignore' });
    }
    derived = `oci-archive:${archive}`;
    cold = await readImage(derived, { want });
    coldContents = await readSome(cold);
    baseLayers = (await readImage(base, { want: () => false })).layers.length;
    derivedLayers = cold.layers.length;
  }, 600_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('shares the base layers (the premise of the test)', () => {
    expect(derivedLayers).toBe(baseLayers + 2);
    expect(cold.stats).toEqual({ layersRead: derivedLayers, layersCached: 0 });
  });

  it('decompresses only the new layers of an image whose base was read before, with the same index and contents', async () => {
    const dir = join(work, 'cache-shared');
    const cache = cacheEveryLayer(dir);
    const first = await readImage(base, { want, layerCache: { cache, wantKey } });
    expect(first.stats).toEqual({ layersRead: baseLayers, layersCached: 0 });

    const second = await readImage(derived, { want, layerCache: { cache, wantKey } });

    expect(second.stats).toEqual({ layersRead: 2, layersCached: baseLayers });
    expect(second.index).toEqual(cold.index);
    expect(second.layers).toEqual(cold.layers);
    expect(await readSome(second)).toEqual(coldContents);

    // a new process (fresh cache object) reads every layer from the files written above
    const third = await readImage(derived, { want, layerCache: { cache: cacheEveryLayer(dir), wantKey } });
    expect(third.stats).toEqual({ layersRead: 0, layersCached: derivedLayers });
    expect(third.index).toEqual(cold.index);
    expect(await readSome(third)).toEqual(coldContents);
  }, 300_000);

  it('keys entries by blob digest and want signature: another wantKey misses', async () => {
    const dir = join(work, 'cache-key');
    const cache = cacheEveryLayer(dir);
    await readImage(base, { want, layerCache: { cache, wantKey } });
    const other = await readImage(base, { want, layerCache: { cache, wantKey: 'another-cataloguer-set' } });
    expect(other.stats).toEqual({ layersRead: baseLayers, layersCached: 0 });
    const names = (await cacheFiles(dir)).map((path) => path.split('/').pop() as string);
    const blobDigests = new Set(other.layers.map((l) => l.digest.slice('sha256:'.length)));
    expect(names.every((name) => blobDigests.has(name.split('.')[0] as string))).toBe(true);
  }, 300_000);

  it('ignores a corrupt cache entry (hash check) and reads the layer from its blob instead', async () => {
    const dir = join(work, 'cache-corrupt');
    const problems: string[] = [];
    const cache: LayerCache = cacheEveryLayer(dir, { onProblem: (p) => problems.push(p.reason) });
    await readImage(derived, { want, layerCache: { cache, wantKey } });
    const files = await cacheFiles(dir);
    // flip a byte in the header region at the end of every file (just before the footer)
    for (const file of files) {
      await flipByte(file, (await stat(file)).size - 40);
    }

    const again = await readImage(derived, { want, layerCache: { cache, wantKey } });

    expect(problems.filter((reason) => reason === 'hash mismatch')).toHaveLength(files.length);
    expect(again.stats).toEqual({ layersRead: derivedLayers, layersCached: 0 });
    expect(again.index).toEqual(cold.index);
    expect(await readSome(again)).toEqual(coldContents);
  }, 300_000);

  it('never returns stored contents that fail their sha256: the file is read again from the blob', async () => {
    const dir = join(work, 'cache-content');
    const problems: string[] = [];
    const cache = cacheEveryLayer(dir, { onProblem: (p) => problems.push(p.reason) });
    await readImage(derived, { want, layerCache: { cache, wantKey } });
    // corrupt the content region of the biggest file (the base layer): byte 64 is inside the first frame
    const files = await cacheFiles(dir);
    const sizes = await Promise.all(files.map(async (f) => ({ f, size: (await stat(f)).size })));
    const biggest = sizes.sort((a, b) => b.size - a.size)[0]?.f as string;
    await flipByte(biggest, 64);

    const again = await readImage(derived, { want, layerCache: { cache, wantKey } });

    expect(again.stats.layersCached).toBe(derivedLayers);
    expect(await readSome(again)).toEqual(coldContents);
    expect(problems.length).toBeGreaterThan(0);
  }, 300_000);

  const sbomServices = (layerCache?: LayerCache, chains?: string) =>
    makeSbomServices({
      log: silentLogger,
      clock: { now: () => new Date('2026-11-21T00:00:00Z') },
      openTree: makeImageOpenTree({ readImage, openImageSource, limits: resolveLimits(), ...(layerCache !== undefined ? { layerCache } : {}), readLayerEntries }),
      tool: { name: 'tollgate', version: '0.0.0-test' },
      ...(chains !== undefined ? { imageCache: makeFileCatalogCache(join(chains, 'images')), chainCache: makeFileCatalogCache<ChainRecord>(join(chains, 'chains')) } : {}),
    });

  it('gives the same SBOM with and without the layer cache', async () => {
    const services = (layerCache?: LayerCache) => sbomServices(layerCache);
    const plain = services();
    const coldSbom = plain.renderSbom(await plain.catalogSource(derived), { format: 'cyclonedx-json', reproducible: true });
    const cache = cacheEveryLayer(join(work, 'cache-sbom'));
    const cached = services(cache);
    const baseRun = await cached.catalogSource(base);
    expect(baseRun.stats.layersRead).toBe(baseLayers);
    const shared = await cached.catalogSource(derived);

    expect(shared.stats).toMatchObject({ layersRead: 2, layersCached: baseLayers });
    expect(cached.renderSbom(shared, { format: 'cyclonedx-json', reproducible: true })).toBe(coldSbom);
  }, 300_000);

  it('reuses the base layers\' catalogue when the new layers change nothing the cataloguers consulted, and only then', async () => {
    const lab = await labImage('debian-base');
    const withFile = async (name: string, content: string, target: string): Promise<string> => {
      const layout = join(work, name);
      await cp(lab.ociLayout, layout, { recursive: true });
      const source = join(work, `${name}.src`);
      await writeFile(source, content);
      execFileSync('umoci', ['insert', '--rootless', '--image', `${layout}:${lab.ociLayoutTag}`, source, target], { stdio: 'ignore' });
      return `oci:${layout}:${lab.ociLayoutTag}`;
    };
    const unrelated = await withFile('plus-conf', 'a setting\n', '/etc/tollgate-test.conf');
    const wanted = await withFile('plus-pkg', '{"name":"tollgate-probe","version":"1.2.3"}\n', '/usr/lib/node_modules/tollgate-probe/package.json');
    const plain = sbomServices();
    const render = (s: SbomServices, r: CatalogResult): string => s.renderSbom(r, { format: 'cyclonedx-json', reproducible: true });
    const cached = sbomServices(cacheEveryLayer(join(work, 'cache-chain')), join(work, 'catalogs'));
    await cached.catalogSource(base);

    // an unrelated config file: the base catalogue stands, and it is exactly the full one
    const reused = await cached.catalogSource(unrelated);
    expect(reused.stats.chainLayersReused).toBe(baseLayers);
    expect(render(cached, reused)).toBe(render(plain, await plain.catalogSource(unrelated)));
    // its image and chain entries refer to the base's chain record instead of copying it
    const sizes = async (dir: string): Promise<number[]> =>
      Promise.all((await readdir(join(work, 'catalogs', dir))).map(async (name) => (await stat(join(work, 'catalogs', dir, name))).size)).then((list) => list.sort((a, b) => a - b));
    const [images, chains] = [await sizes('images'), await sizes('chains')];
    expect(images).toHaveLength(2);
    expect(chains).toHaveLength(2);
    expect([images[0], chains[0]].every((size) => (size ?? Infinity) < 1_000)).toBe(true);
    expect([images[1], chains[1]].every((size) => (size ?? 0) > 10_000)).toBe(true);
    // the image cache answers through the reference, and a layer on top of it reuses the chain through it too
    const again = await cached.catalogSource(unrelated);
    expect(again.stats.imageCacheHit).toBe(true);
    expect(render(cached, again)).toBe(render(cached, reused));
    const twoLayers = join(work, 'plus-conf-twice');
    await cp(join(work, 'plus-conf'), twoLayers, { recursive: true });
    execFileSync('umoci', ['insert', '--rootless', '--image', `${twoLayers}:${lab.ociLayoutTag}`, join(work, 'plus-conf.src'), '/etc/tollgate-test-2.conf'], { stdio: 'ignore' });
    const onTop = await cached.catalogSource(`oci:${twoLayers}:${lab.ociLayoutTag}`);
    expect(onTop.stats.chainLayersReused).toBe(baseLayers + 1);
    expect(render(cached, onTop)).toBe(render(plain, await plain.catalogSource(`oci:${twoLayers}:${lab.ociLayoutTag}`)));

    // a package manifest the npm cataloguer wants: catalogued again, and the package is found
    const full = await cached.catalogSource(wanted);
    expect(full.stats.chainLayersReused).toBeUndefined();
    // the new layer was decompressed once: while checking it for reuse, into the layer cache the full read replays
    expect(full.stats).toMatchObject({ layersRead: 0, layersCached: baseLayers + 1 });
    expect(full.catalog.packages.map((p) => p.name)).toContain('tollgate-probe');
    expect(render(cached, full)).toBe(render(plain, await plain.catalogSource(wanted)));

    // whiteouts: of a dpkg md5sums file (no cataloguer wants it: reused, and equal to a full catalogue),
    // of a package's copyright file (the dpkg cataloguer's licence source: catalogued again)
    const minus = async (name: string, target: string): Promise<string> => {
      const layout = join(work, name);
      await cp(lab.ociLayout, layout, { recursive: true });
      execFileSync('umoci', ['insert', '--rootless', '--image', `${layout}:${lab.ociLayoutTag}`, '--whiteout', target], { stdio: 'ignore' });
      return `oci:${layout}:${lab.ociLayoutTag}`;
    };
    const sums = (await readdir(join(lab.rootfs, 'var/lib/dpkg/info'))).find((f) => f.endsWith('.md5sums'));
    const docs = (await readdir(join(lab.rootfs, 'usr/share/doc'))).find((d) => existsSync(join(lab.rootfs, 'usr/share/doc', d, 'copyright')));
    expect(sums !== undefined && docs !== undefined).toBe(true);
    const noSums = await minus('minus-sums', `/var/lib/dpkg/info/${sums ?? ''}`);
    const unaffected = await cached.catalogSource(noSums);
    expect(unaffected.stats.chainLayersReused).toBe(baseLayers);
    expect(render(cached, unaffected)).toBe(render(plain, await plain.catalogSource(noSums)));
    const noCopyright = await minus('minus-copyright', `/usr/share/doc/${docs ?? ''}/copyright`);
    const affected = await cached.catalogSource(noCopyright);
    expect(affected.stats.chainLayersReused).toBeUndefined();
    expect(affected.stats).toMatchObject({ layersRead: 0, layersCached: baseLayers + 1 });
    expect(render(cached, affected)).toBe(render(plain, await plain.catalogSource(noCopyright)));

    // the podman-built image: a new executable and a whiteout of /etc/debian_version
    const rebuilt = await cached.catalogSource(derived);
    expect(rebuilt.stats.chainLayersReused).toBeUndefined();
    expect(rebuilt.stats).toMatchObject({ layersRead: 0, layersCached: derivedLayers });
    expect(render(cached, rebuilt)).toBe(render(plain, await plain.catalogSource(derived)));

    // a chain record whose access log is not one (a path that is not a string): not reused, and the
    // image is catalogued whole with the same answer
    const damaged = join(work, 'catalogs-damaged');
    const withDamage = sbomServices(cacheEveryLayer(join(work, 'cache-damaged')), damaged);
    await withDamage.catalogSource(base);
    const records = await readdir(join(damaged, 'chains'));
    expect(records).toHaveLength(1);
    const recordFile = join(damaged, 'chains', records[0] as string);
    const record = JSON.parse(await readFile(recordFile, 'utf8')) as { looked: unknown[] };
    expect(record.looked.length).toBeGreaterThan(100);
    record.looked[7] = [42, 'dir'];
    await writeFile(recordFile, JSON.stringify(record));
    const notReused = await withDamage.catalogSource(unrelated);
    expect(notReused.stats.chainLayersReused).toBeUndefined();
    expect(render(withDamage, notReused)).toBe(render(plain, await plain.catalogSource(unrelated)));
  }, 300_000);
});
