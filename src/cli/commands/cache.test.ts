import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { labImage } from '../../testing/lab.ts';
import { peersAvailable } from '../../testing/peers.ts';
import { formatSize, parseSize } from './cache.ts';
import { runCli } from '../../testing/cli.ts';

const tollgate = runCli;

/** Every file under `dir`, relative, with its modification time. */
async function files(dir: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name);
    const info = await stat(path);
    if (info.isFile()) out.set(relative(dir, path), info.mtimeMs);
  }
  return out;
}

describe('parseSize and formatSize', () => {
  it('reads binary and decimal units and refuses anything else', () => {
    expect(parseSize('1048576')).toBe(1048576);
    expect(parseSize('500M')).toBe(500 * 1024 ** 2);
    expect(parseSize('2GiB')).toBe(2 * 1024 ** 3);
    expect(parseSize('1.5 GB')).toBe(1.5e9);
    expect(parseSize('0')).toBe(0);
    for (const bad of ['', 'M', '-1', '12XB', '1e9']) expect(() => parseSize(bad)).toThrow(/size/);
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(1536 * 1024)).toBe('1.5 MiB');
  });
});

describe.skipIf(!peersAvailable('podman', 'skopeo', 'apt-get', 'dpkg-deb'))('tollgate cache', () => {
  let archive: string;
  let work: string;

  beforeAll(async () => {
    archive = `oci-archive:${(await labImage('debian-base')).ociArchive}`;
    work = await mkdtemp(join(tmpdir(), 'tollgate-cache-cli-'));
  }, 600_000);

  const sbom = (dataDir: string, out: string, extra: string[] = []) =>
    tollgate([...extra, '--data-dir', dataDir, '--no-progress', 'sbom', archive, '--format', 'cyclonedx-json', '--reproducible', '-o', out]);

  it('reports the caches a run filled, marks hits as used, and prunes them without changing the next result', async () => {
    const data = join(work, 'data');
    const cache = join(data, 'cache');
    expect((await sbom(data, join(work, 'first.json'))).code).toBe(0);
    // the run pruned the cache when it ended (nothing to remove) and marked that
    expect(existsSync(join(cache, '.pruned'))).toBe(true);

    const usage = await tollgate(['--data-dir', data, 'cache', 'usage', '--format', 'json']);
    expect(usage.code).toBe(0);
    const report = JSON.parse(usage.stdout) as { dir: string; files: number; bytes: number; kinds: { kind: string; files: number }[]; budget: { maxBytes: number } };
    expect(report.dir).toBe(cache);
    const written = await files(cache);
    written.delete('.pruned');
    expect(report.files).toBe(written.size);
    expect(report.kinds.map((k) => k.kind)).toEqual(expect.arrayContaining(['layers', 'catalog/images', 'catalog/chains']));
    expect(report.budget.maxBytes).toBe(2 * 1024 ** 3);
    expect((await tollgate(['--data-dir', data, 'cache', 'usage'])).stdout).toMatch(/total: \d+ files/);

    // age every entry by ten days: the next run's image cache hit marks its entry used, nothing else
    const tenDaysAgo = new Date(Date.now() - 10 * 24 * 3600 * 1000);
    for (const path of written.keys()) await utimes(join(cache, path), tenDaysAgo, tenDaysAgo);
    expect((await sbom(data, join(work, 'warm.json'))).code).toBe(0);
    const after = await files(cache);
    const used = [...written.keys()].filter((path) => (after.get(path) ?? 0) > Date.now() - 60_000);
    expect(used).toHaveLength(1);
    expect(used[0]).toMatch(/^catalog\/images\//);

    // a prune to one byte removes every entry; the next run reads the image again to the same SBOM
    const pruned = await tollgate(['--data-dir', data, 'cache', 'prune', '--max-size', '1', '--format', 'json']);
    expect(pruned.code).toBe(0);
    expect(JSON.parse(pruned.stdout)).toMatchObject({ removedFiles: written.size, files: 0, bytes: 0 });
    expect((await sbom(data, join(work, 'again.json'))).code).toBe(0);
    expect(await readFile(join(work, 'again.json'), 'utf8')).toBe(await readFile(join(work, 'first.json'), 'utf8'));
    expect((await files(cache)).size).toBe(written.size + 1); // the same entries again, plus the mark
  }, 300_000);

  it('keeps the cache within the configured budget when a run ends', async () => {
    const data = join(work, 'small');
    const config = join(work, 'small.yaml');
    await writeFile(config, 'cache:\n  maxBytes: 4096\n');
    expect((await sbom(data, join(work, 'small.json'), ['--config', config])).code).toBe(0);
    const usage = JSON.parse((await tollgate(['--config', config, '--data-dir', data, 'cache', 'usage', '--format', 'json'])).stdout) as { bytes: number; budget: { maxBytes: number } };
    expect(usage.budget.maxBytes).toBe(4096);
    expect(usage.bytes).toBeLessThanOrEqual(4096);
    // without the budget the same run keeps far more
    const bigger = join(work, 'default');
    expect((await sbom(bigger, join(work, 'default.json'))).code).toBe(0);
    const full = JSON.parse((await tollgate(['--data-dir', bigger, 'cache', 'usage', '--format', 'json'])).stdout) as { bytes: number };
    expect(full.bytes).toBeGreaterThan(4096);
  }, 300_000);

  it('refuses a bad size, a bad age and a bad budget in the config', async () => {
    const bad = await tollgate(['--data-dir', work, 'cache', 'prune', '--max-size', '12XB']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('500M');
    expect((await tollgate(['--data-dir', work, 'cache', 'prune', '--older-than', '0'])).code).toBe(2);
    const config = join(work, 'bad.yaml');
    await writeFile(config, 'cache:\n  maxBytes: -5\n');
    const invalid = await tollgate(['--config', config, '--data-dir', work, 'cache', 'usage']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('CONFIG_INVALID');
    expect(invalid.stderr).toContain('cache.maxBytes');
  });
});
