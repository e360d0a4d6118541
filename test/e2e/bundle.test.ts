/**
 * The shipped CLI is the esbuild bundles of tools/build.ts (dist/cli/: main.cjs and the vendor
 * bundles beside it). This builds them and runs the main verbs through bin/tollgate.js twice, from
 * src/ and from the bundles (TOLLGATE_FROM_DIST=1): the answers (exit code and output) must be the
 * same. Covers the slices and lazily loaded code a bundler can break: CommonJS interop (pino,
 * commander), the trust slice with the shipped Sigstore root and sigstore-js from its vendor bundle,
 * YAML and CVSS from theirs, node:sqlite, the image reader and the CycloneDX writer.
 */
import { isAscii } from 'node:buffer';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runTollgate, type Run } from './cli.ts';
import { buildCli, VENDOR_BUNDLES, vendorFile } from '../../tools/build.ts';
import { labImage } from '../../src/testing/lab.ts';
import { writeOciLayout } from '../../src/testing/oci-craft.ts';
import { craftTar, gzip } from '../../src/testing/tar-craft.ts';
import { corpusDir, peersAvailable } from '../../src/testing/peers.ts';

const tollgate = (fromDist: boolean, args: readonly string[]): Promise<Run> => runTollgate(args, { fromDist });

/** Runs from src/ and from the bundle; both must exit alike and print the same. */
async function same(args: readonly string[]): Promise<Run> {
  const [source, bundled] = await Promise.all([tollgate(false, args), tollgate(true, args)]);
  expect({ code: bundled.code, stdout: bundled.stdout }).toEqual({ code: source.code, stdout: source.stdout });
  return bundled;
}

/** The shipped bundles by the cache-name prefix of their digest (bin/code-cache.js names caches so). */
async function bundleIds(): Promise<Map<string, string>> {
  const folder = join(ROOT, 'dist', 'cli');
  const names = (await readdir(folder)).filter((name) => name.endsWith('.cjs'));
  return new Map(await Promise.all(names.map(async (name) => [(await readFile(join(folder, `${name}.sha256`), 'utf8')).slice(0, 32), name] as const)));
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tollgate-bundle-'));
  await buildCli(join(ROOT, 'dist', 'cli'));
}, 120_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the built bundle', () => {
  it('answers --version, --help, ref and version compare as src/ does', async () => {
    expect((await same(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect((await same(['--help'])).stdout).toContain('sbom');
    expect((await same(['sbom', '--help'])).stdout).toContain('--format');
    expect(JSON.parse((await same(['ref', 'alpine'])).stdout)).toMatchObject({ canonical: 'docker.io/library/alpine:latest' });
    expect((await same(['version', 'compare', 'deb', '1:1.0', '2.0'])).stdout.trim()).toBe('1');
    // errors keep their codes and exit codes
    expect((await same(['ref', 'UPPER/Case'])).code).toBe(2);
  });

  it('lints a Dockerfile as src/ does', async () => {
    const file = join(work, 'Dockerfile');
    await writeFile(file, 'FROM debian\nRUN curl -sSL https://example.com/install.sh | bash\n');
    const run = await same(['lint', file, '--format', 'json']);
    expect(run.code).toBe(1);
    // a CI workflow: YAML, from its vendor bundle
    const workflow = join(work, '.github', 'workflows', 'ci.yml');
    await mkdir(dirname(workflow), { recursive: true });
    await writeFile(workflow, 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: curl -sSL https://example.com/i.sh | bash\n');
    const lint = await same(['lint', workflow, '--format', 'json']);
    expect(lint.code).toBe(1);
    expect(lint.stdout).toContain('"ruleId"');
  });

  it('verifies a real Sigstore bundle (the lazily loaded trust chunk and the shipped root)', async () => {
    const npm = `${corpusDir()}sigstore/npm-real/`;
    const args = [
      'verify-bundle', `${npm}playwright-cli-0.1.1-provenance.sigstore.json`, '--artifact', `${npm}playwright-cli-0.1.1.tgz`,
      '--certificate-identity', 'https://github.com/microsoft/playwright-cli/.github/workflows/publish.yml@refs/tags/v0.1.1',
      '--certificate-oidc-issuer', 'https://token.actions.githubusercontent.com',
    ];
    const run = await same(args);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { verdict: string }).verdict).toBe('pass');

    // sigstore-js is a bundle of its own (tools/build.ts VENDOR_BUNDLES), loaded by this command
    // with a code cache of its own, and the answer is the same when the caches are used
    const folder = join(work, 'code-cache-vendor');
    for (let i = 0; i < 2; i++) expect((await runTollgate(args, { fromDist: true, env: { TOLLGATE_CODE_CACHE_DIR: folder } })).stdout).toBe(run.stdout);
    const caches = (await readdir(folder)).filter((name) => name.endsWith('.v8cache'));
    const ids = await bundleIds();
    expect(caches.map((name) => ids.get(name.slice(0, 32))).sort()).toEqual(['main.cjs', 'vendor-sigstore.cjs']);
    expect(caches.every((name) => name.endsWith('-verify-bundle.v8cache'))).toBe(true);
  });

  it('ships the vendor stacks apart: no module in two bundles, none of them in main.cjs', async () => {
    const sources = async (file: string): Promise<string[]> => (JSON.parse(await readFile(join(ROOT, 'dist', 'cli', `${file}.map`), 'utf8')) as { sources: string[] }).sources;
    const main = await sources('main.cjs');
    for (const bundle of VENDOR_BUNDLES) {
      const vendor = await sources(vendorFile(bundle));
      for (const name of bundle.packages) {
        expect(vendor.some((source) => source.includes(`node_modules/${name}/`))).toBe(true);
        expect(main.filter((source) => source.includes(`node_modules/${name}/`))).toEqual([]);
      }
      expect(vendor.filter((source) => main.includes(source))).toEqual([]);
      expect(isAscii(await readFile(join(ROOT, 'dist', 'cli', vendorFile(bundle))))).toBe(true);
    }
    // the HTTP stack's optional character-set tables are left out (tools/bundle-patches.ts)
    expect((await sources('vendor-sigstore.cjs')).filter((source) => source.includes('node_modules/iconv-lite/'))).toEqual([]);
  });

  it('keeps a V8 code cache per command: written when the first run ends, used after, replaced when V8 refuses it', async () => {
    const folder = join(work, 'code-cache');
    const env = { TOLLGATE_CODE_CACHE_DIR: folder };
    const expected = (await tollgate(false, ['ref', 'alpine'])).stdout;
    const caches = async (): Promise<string[]> => (await readdir(folder).catch(() => [])).filter((name) => name.endsWith('.v8cache'));

    expect((await runTollgate(['ref', 'alpine'], { fromDist: true, env })).stdout).toBe(expected);
    const [name, ...others] = await caches();
    expect(others).toEqual([]);
    expect(name).toMatch(/-ref\.v8cache$/);
    const file = join(folder, name as string);
    const written = await stat(file);
    expect(written.mode & 0o777).toBe(0o600);

    // used, and rewritten by the 1st, 2nd, 4th... run using it (a new file each time: temp and rename),
    // with what that run compiled besides: an error's path makes it grow
    const uses = join(folder, (name as string).replace(/\.v8cache$/, '.uses'));
    const rewrites: boolean[] = [];
    let last = written;
    for (const args of [['ref', 'UPPER/Case'], ['ref', 'alpine'], ['ref', 'alpine'], ['ref', 'alpine'], ['ref', 'alpine']]) {
      const run = await runTollgate(args, { fromDist: true, env });
      expect(run.code).toBe(args[1] === 'alpine' ? 0 : 2);
      const now = await stat(file);
      rewrites.push(now.ino !== last.ino);
      if (rewrites.length === 1) expect(now.size).toBeGreaterThan(written.size);
      last = now;
    }
    expect(rewrites).toEqual([true, true, false, true, false]);
    expect(await readFile(uses, 'utf8')).toBe('5');

    // refused by V8 (not a code cache): the run is right all the same, and writes a good one
    await writeFile(file, Buffer.alloc(4096, 0x5a));
    expect((await runTollgate(['ref', 'alpine'], { fromDist: true, env })).stdout).toBe(expected);
    const replaced = await readFile(file);
    expect(replaced.length).toBeGreaterThan(0);
    expect(replaced.equals(Buffer.alloc(4096, 0x5a))).toBe(false);

    // a long run's cache (made after V8 may have dropped start-up code) gives way to a short run's
    await rename(file, file.replace(/\.v8cache$/, '.long.v8cache'));
    expect((await runTollgate(['ref', 'alpine'], { fromDist: true, env })).stdout).toBe(expected);
    expect(await caches()).toEqual([name]);

    // caches of another build are removed when one is written; those of this build's bundles are kept
    const stale = join(folder, `${'0'.repeat(32)}-v24.0.0-x64-1-1-ref.v8cache`);
    const vendorCache = join(folder, `${[...(await bundleIds())].find(([, file]) => file !== 'main.cjs')?.[0] ?? ''}-${process.version}-x64-1-1-verify-bundle.v8cache`);
    await writeFile(stale, 'old');
    await writeFile(vendorCache, 'kept');
    await rm(file);
    expect((await runTollgate(['ref', 'alpine'], { fromDist: true, env })).stdout).toBe(expected);
    expect((await caches()).sort()).toEqual([name, vendorCache.slice(folder.length + 1)].sort());
    await rm(vendorCache);

    // another command has a cache of its own; none when turned off
    await runTollgate(['version', 'compare', 'deb', '1', '2'], { fromDist: true, env });
    const both = await caches();
    expect(both).toHaveLength(2);
    expect(both).toContain(name);
    expect(both.filter((n) => n.endsWith('-version.v8cache'))).toHaveLength(1);
    await runTollgate(['lint', '--help'], { fromDist: true, env: { ...env, TOLLGATE_CODE_CACHE: '0' } });
    expect(await caches()).toHaveLength(2);
  });

  it('is ASCII and starts without the modules tools/bundle-patches.ts defers', async () => {
    // ASCII: V8 keeps the source as a one-byte string (the build drops the comments that were not)
    expect(isAscii(await readFile(join(ROOT, 'dist', 'cli', 'main.cjs')))).toBe(true);
    const preload = join(work, 'loaded.cjs');
    const out = join(work, 'loaded.json');
    await writeFile(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.moduleLoadList)));\n`);
    // an image catalogued once, then again: the second run is an image-cache hit, which loads no cataloguer
    const tar = craftTar([{ name: 'usr/lib/node_modules/left-pad/package.json', body: JSON.stringify({ name: 'left-pad', version: '1.3.0', license: 'WTFPL' }) }]);
    const layout = writeOciLayout(join(work, 'deferred-image'), { layers: [gzip(tar)], tars: [tar] }).dir;
    const args = ['--data-dir', join(work, 'data-deferred'), '--log-level', 'debug', 'sbom', `oci:${layout}:test`, '--format', 'json'];
    const cacheDir = join(work, 'code-cache-deferred');
    expect((await runTollgate(args, { fromDist: true, env: { TOLLGATE_CODE_CACHE_DIR: cacheDir } })).code).toBe(0);
    const run = await runTollgate(args, { fromDist: true, env: { NODE_OPTIONS: `--require ${preload}`, TOLLGATE_CODE_CACHE_DIR: cacheDir } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('left-pad');
    expect(run.stderr).toContain('catalogued (image cache)'); // pino ran (its destination is what required assert and worker_threads)
    const loaded = JSON.parse(await readFile(out, 'utf8')) as string[];
    expect(loaded).toContain('NativeModule crypto');
    expect(loaded.filter((m) => ['NativeModule child_process', 'NativeModule assert', 'NativeModule worker_threads'].includes(m))).toEqual([]);
    // and no vendor bundle (each loaded one would have a code cache here)
    const ids = await bundleIds();
    expect((await readdir(cacheDir)).filter((name) => name.endsWith('.v8cache')).map((name) => ids.get(name.slice(0, 32)))).toEqual(['main.cjs']);
  });

  it.skipIf(!peersAvailable('podman', 'skopeo'))('catalogues a real image and scans its SBOM as src/ does', async () => {
    const image = await labImage('debian-base');
    const sbom = await same(['--data-dir', join(work, 'data'), '--no-progress', 'sbom', `oci-archive:${image.ociArchive}`, '--reproducible', '--format', 'cyclonedx-json']);
    expect(sbom.code).toBe(0);
    const components = (JSON.parse(sbom.stdout) as { components: unknown[] }).components;
    expect(components.length).toBeGreaterThan(20);
    const sbomFile = join(work, 'sbom.cdx.json');
    await writeFile(sbomFile, sbom.stdout);
    const db = join(work, 'vuln.db');
    expect((await tollgate(true, ['db', 'import', `${corpusDir()}osv/go-vulndb`, '--db', db])).code).toBe(0);
    const scan = await same(['scan', `sbom:${sbomFile}`, '--db', db, '--format', 'sarif']);
    expect(scan.code).toBe(0);
  }, 300_000);
});
