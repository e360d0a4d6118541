import { isAscii } from 'node:buffer';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { Ajv } from 'ajv';
import { mkdtemp, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.ts';
import { silentLogger } from '../core/logger.ts';
import { LAYER_READER_VERSION, openImageSource, readImage, resolveLimits, type FileEntry } from '../image/index.ts';
import { fingerprintOf, imageCataloguers } from '../catalog/registry.ts';
import { labImage } from '../testing/lab.ts';
import { peersAvailable } from '../testing/peers.ts';
import { makeFileCatalogCache, makeImageOpenTree, makeSbomServices, makeTempFileSqliteReader, type CatalogResult, type SbomServices } from './sbom.ts';

const fixedClock = { now: () => new Date('2026-11-21T00:00:00Z') };

describe.skipIf(!peersAvailable('podman', 'skopeo', 'runc', 'apt-get', 'dpkg-deb', 'npm'))('services/sbom on the lab node-app image', () => {
  let services: SbomServices;
  let archive: string;
  let cold: CatalogResult;

  beforeAll(async () => {
    archive = `oci-archive:${(await labImage('node-app')).ociArchive}`;
    const cacheDir = await promisify(mkdtemp)(join(tmpdir(), 'tollgate-catalog-cache-'));
    services = makeSbomServices({
      log: silentLogger,
      clock: fixedClock,
      openTree: makeImageOpenTree({ readImage, openImageSource, limits: resolveLimits() }),
      tool: { name: 'tollgate', version: '0.0.0-test' },
      sqlite: makeTempFileSqliteReader(),
      cache: makeFileCatalogCache(join(cacheDir, 'layers')),
    });
    cold = await services.catalogSource(archive);
  }, 600_000);

  it('catalogues the image: dpkg, npm and Python packages, the unowned binary, the distribution, no unknowns', () => {
    const ecosystems = new Set(cold.catalog.packages.map((p) => p.ecosystem));

    expect([...ecosystems].sort()).toEqual(['binary', 'deb', 'npm', 'pypi']);
    // the lab recipe copies one binary into /usr/local/bin that no Debian package owns
    expect(cold.catalog.packages.filter((p) => p.ecosystem === 'binary').map((p) => p.locations[0]?.path)).toEqual(['/usr/local/bin/lab-suid']);
    expect(cold.catalog.distro).toMatchObject({ id: 'debian', versionId: '12' });
    expect(cold.catalog.unknowns).toEqual([]);
    expect(cold.catalog.packages.every((p) => p.locations.every((l) => l.layer.startsWith('sha256:')))).toBe(true);
  });

  it('reuses per-layer results on a warm run and gives the same catalogue', async () => {
    const warm = await services.catalogSource(archive);

    expect(warm.stats.cacheHits).toBeGreaterThan(0);
    expect(warm.stats.cacheMisses).toBe(0);
    expect(warm.catalog).toEqual(cold.catalog);
  }, 300_000);

  it('answers a second run of the same image digest from the image cache without reading layers', async () => {
    const cacheDir = await promisify(mkdtemp)(join(tmpdir(), 'tollgate-image-cache-'));
    const withImageCache = makeSbomServices({
      log: silentLogger,
      clock: fixedClock,
      openTree: makeImageOpenTree({ readImage, openImageSource, limits: resolveLimits() }),
      tool: { name: 'tollgate', version: '0.0.0-test' },
      imageCache: makeFileCatalogCache(cacheDir),
    });
    const first = await withImageCache.catalogSource(archive);
    const second = await withImageCache.catalogSource(archive);

    expect(first.stats.imageCacheHit).toBe(false);
    expect(second.stats.imageCacheHit).toBe(true);
    expect(second.catalog).toEqual(first.catalog);
    expect(second.stats.millis).toBeLessThan(first.stats.millis / 10);
  }, 300_000);

  it('writes CycloneDX 1.5/1.6 and SPDX 2.3 that the official schemas accept, byte-identical under reproducible', async () => {
    for (const version of ['1.5', '1.6'] as const) {
      const text = services.renderSbom(cold, { format: 'cyclonedx-json', specVersion: version, reproducible: true });
      const validator = new Validation.JsonStrictValidator(version === '1.5' ? Spec.Version.v1dot5 : Spec.Version.v1dot6);
      expect(await validator.validate(text)).toBeNull();
      expect(services.renderSbom(cold, { format: 'cyclonedx-json', specVersion: version, reproducible: true })).toBe(text);
    }
    const schema = JSON.parse(readFileSync(new URL('../catalog/sbom/__fixtures__/spdx-schema-2.3.json', import.meta.url), 'utf8')) as object;
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    const spdx = services.renderSbom(cold, { format: 'spdx-json', reproducible: true });
    expect(validate(JSON.parse(spdx)), JSON.stringify(validate.errors)).toBe(true);
    expect(services.renderSbom(cold, { format: 'spdx-json', reproducible: true })).toBe(spdx);
  }, 120_000);

  it('round-trips both formats back to the same packages', async () => {
    for (const format of ['cyclonedx-json', 'spdx-json'] as const) {
      const back = await services.readSbom(services.renderSbom(cold, { format, reproducible: true }));
      expect(back.packages).toEqual(cold.catalog.packages);
    }
  });
});

describe('services/sbom: what the image reader is asked to keep', () => {
  it('keeps installed-package files from image layers, never lockfiles (those are for folders)', async () => {
    const asked: { want: (entry: FileEntry) => boolean; probes?: readonly { name: string }[]; wantKey?: string }[] = [];
    const services = makeSbomServices({
      log: silentLogger,
      clock: fixedClock,
      openTree: async () => ({
        subject: { name: 'oci-archive:/fake.tar', digest: 'sha256:0000000000000000000000000000000000000000000000000000000000000000' },
        kind: 'oci-archive',
        readTree: async (reading) => {
          asked.push(reading);
          throw new AppError('SOURCE_NOT_FOUND', 'stop after the options were seen');
        },
        close: async () => undefined,
      }),
      tool: { name: 'tollgate', version: '0.0.0-test' },
    });
    await expect(services.catalogSource('oci-archive:/nonexistent.tar')).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    const options = asked[0];
    expect(options).toBeDefined();
    const file = (path: string): FileEntry => ({ path, type: 'file', mode: 0o644, uid: 0, gid: 0, size: 100, layer: 'sha256:l' });
    expect(options?.want(file('/var/lib/dpkg/status'))).toBe(true);
    expect(options?.want(file('/app/node_modules/x/package.json'))).toBe(true);
    for (const lock of ['/app/package-lock.json', '/app/yarn.lock', '/src/poetry.lock', '/app/Cargo.lock']) expect(options?.want(file(lock)), lock).toBe(false);
    expect(options?.probes?.map((p) => p.name)).toEqual(expect.arrayContaining(['go-buildinfo@2', 'executable-head@1']));
    expect(options?.wantKey).not.toMatch(/lock/);
  });

  it('answers an image seen before from the image cache, keyed by digest, cataloguer fingerprint and reader version, without reading a layer', async () => {
    const digest = 'sha256:1111111111111111111111111111111111111111111111111111111111111111';
    const catalog = { packages: [], relationships: [], unknowns: [], distro: { id: 'debian', versionId: '12' } };
    const asked: string[] = [];
    let reads = 0;
    const services = makeSbomServices({
      log: silentLogger,
      clock: fixedClock,
      openTree: async () => ({
        subject: { name: 'oci-archive:/seen.tar', digest },
        kind: 'oci-archive',
        readTree: async () => {
          reads++;
          throw new AppError('SOURCE_NOT_FOUND', 'no layer may be read on a cache hit');
        },
        close: async () => undefined,
      }),
      tool: { name: 'tollgate', version: '0.0.0-test' },
      imageCache: {
        get: async (key) => {
          asked.push(key);
          return key === `${digest}/${fingerprintOf(imageCataloguers())}/reader-${String(LAYER_READER_VERSION)}` ? catalog : undefined;
        },
        put: async () => undefined,
      },
    });
    const result = await services.catalogSource('oci-archive:/seen.tar');
    expect(result.catalog).toEqual(catalog);
    expect(result.stats.imageCacheHit).toBe(true);
    expect(reads).toBe(0);
    expect(asked).toEqual([`${digest}/${fingerprintOf(imageCataloguers())}/reader-${String(LAYER_READER_VERSION)}`]);
  });
});

describe('makeFileCatalogCache', () => {
  it('stores a value as ASCII JSON and gives back the same value, non-ASCII text included; a miss or a torn file is undefined', async () => {
    const dir = await promisify(mkdtemp)(join(tmpdir(), 'tollgate-file-catalog-cache-'));
    const cache = makeFileCatalogCache<{ authors: string[]; note: string }>(dir);
    const value = { authors: ['Åsa Ødegård <asa@example.org>', '中文 维护者'], note: 'emoji 📦 and a lone \ud800' };
    await cache.put('key one', value);
    expect(await cache.get('key one')).toEqual(value);
    const [file, ...others] = readdirSync(dir);
    expect(others).toEqual([]);
    expect(isAscii(readFileSync(join(dir, file as string)))).toBe(true);
    expect(await cache.get('key two')).toBeUndefined();
    writeFileSync(join(dir, file as string), '{"authors": ["cut');
    expect(await cache.get('key one')).toBeUndefined();
    // small entries are written in place, big ones through the thread pool: the same files either way
    const big = { authors: Array.from({ length: 2000 }, (_, i) => `Åsa ${String(i)}`), note: 'big' };
    await cache.put('key three', big);
    expect(await cache.get('key three')).toEqual(big);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    for (const name of readdirSync(dir)) expect(isAscii(readFileSync(join(dir, name)))).toBe(true);
  });
});
