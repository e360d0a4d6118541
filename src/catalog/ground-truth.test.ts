import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.ts';
import { openDirTree } from '../image/index.ts';
import { labRootfs } from '../testing/lab.ts';
import { peersAvailable } from '../testing/peers.ts';
import type { Catalog } from './model.ts';
import { selectCataloguers } from './registry.ts';
import { runCatalog } from './run.ts';

/**
 * Accuracy against ground truth on a real lab root filesystem built from Debian packages:
 * dpkg-query over the same dpkg database, `npm ls --all --json` over the same node_modules,
 * and the dist-info folder names Python's installer wrote.
 */
describe.skipIf(!peersAvailable('dpkg-query', 'npm', 'apt-get', 'dpkg-deb'))('catalog ground truth (lab node-app rootfs)', () => {
  let rootfs: string;
  let catalog: Catalog;

  beforeAll(async () => {
    rootfs = (await labRootfs('node-app')).rootfs;
    const tree = await openDirTree(rootfs);
    // installed cataloguers only, as for an image: lockfiles are declarations, not what is on disk
    catalog = await runCatalog({ cataloguers: selectCataloguers({ exclude: ['npm-package-lock', 'yarn-lock', 'pnpm-lock'] }), tree, log: silentLogger });
  }, 300_000);

  it('finds exactly the packages dpkg-query lists (name, version, architecture, source name and version)', () => {
    const expected = execFileSync(
      'dpkg-query',
      [`--admindir=${join(rootfs, 'var/lib/dpkg')}`, '-W', '-f', '${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\n'],
      { encoding: 'utf8' },
    )
      .split('\n')
      .filter((line) => line !== '')
      .sort();
    const actual = catalog.packages
      .filter((p) => p.ecosystem === 'deb')
      .map((p) => [p.name, p.version, p.arch ?? '', p.source?.name ?? '', p.source?.version ?? ''].join('\t'))
      .sort();

    expect(expected.length).toBeGreaterThan(30);
    expect(actual).toEqual(expected);
  });

  it('records file ownership from info/*.list for every dpkg package that ships files', () => {
    const owners = new Set(catalog.relationships.filter((r) => r.kind === 'owns' && r.from.startsWith('deb:')).map((r) => r.from));
    const bash = catalog.packages.find((p) => p.ecosystem === 'deb' && p.name === 'bash');

    expect(bash).toBeDefined();
    expect(owners.has(bash?.id as string)).toBe(true);
    expect(catalog.relationships).toContainEqual({ kind: 'owns', from: bash?.id, to: '/bin/bash' });
  });

  it('finds exactly the packages `npm ls --all --json` reports for the app', () => {
    const tree = JSON.parse(execFileSync('npm', ['ls', '--all', '--json'], { cwd: join(rootfs, 'app'), encoding: 'utf8' })) as NpmLsNode;
    const expected = new Set<string>();
    const walk = (node: NpmLsNode): void => {
      for (const [name, child] of Object.entries(node.dependencies ?? {})) {
        if (child.version !== undefined) expected.add(`${name}@${child.version}`);
        walk(child);
      }
    };
    walk(tree);
    const actual = new Set(catalog.packages.filter((p) => p.ecosystem === 'npm' && p.locations.some((l) => l.path.startsWith('/app/'))).map((p) => `${p.name}@${p.version}`));

    expect(expected.size).toBeGreaterThan(50);
    expect([...actual].sort()).toEqual([...expected].sort());
  });

  it('finds exactly the Python distributions the dist-info and egg-info folders declare', () => {
    const dir = join(rootfs, 'usr/lib/python3/dist-packages');
    const expected = readdirSync(dir)
      .filter((name) => name.endsWith('.dist-info') || name.endsWith('.egg-info'))
      .map((name) => name.replace(/\.(dist|egg)-info$/, '').replace(/-py\d.*$/, ''))
      .map((stem) => {
        const dash = stem.indexOf('-');
        return `${stem.slice(0, dash).toLowerCase().replace(/[-_.]+/g, '-')}@${stem.slice(dash + 1)}`;
      })
      .sort();
    const actual = catalog.packages
      .filter((p) => p.ecosystem === 'pypi')
      .map((p) => `${p.name.toLowerCase().replace(/[-_.]+/g, '-')}@${p.version}`)
      .sort();

    expect(expected.length).toBeGreaterThan(5);
    expect(actual).toEqual(expected);
  });

  it('reports nothing it could not read on a clean root filesystem', () => {
    expect(catalog.unknowns).toEqual([]);
  });
});

interface NpmLsNode {
  readonly version?: string;
  readonly dependencies?: Readonly<Record<string, NpmLsNode>>;
}

/**
 * Go binaries from real Debian packages (lab `big`): the Go toolchain each was linked with must be the
 * one dpkg's Built-Using field names, and the copy of docker-registry that no package owns must show up
 * as an unowned binary.
 */
describe.skipIf(!peersAvailable('dpkg-query', 'npm', 'apt-get', 'dpkg-deb'))('catalog ground truth (lab big rootfs: Go binaries)', () => {
  let rootfs: string;
  let catalog: Catalog;

  beforeAll(async () => {
    rootfs = (await labRootfs('big')).rootfs;
    catalog = await runCatalog({ cataloguers: selectCataloguers({ exclude: ['npm-package-lock', 'yarn-lock', 'pnpm-lock'] }), tree: await openDirTree(rootfs), log: silentLogger });
  }, 600_000);

  it('reports the Go version dpkg Built-Using names for every Go binary of skopeo and docker-registry', () => {
    for (const pkg of ['skopeo', 'docker-registry']) {
      const builtUsing = execFileSync('dpkg-query', [`--admindir=${join(rootfs, 'var/lib/dpkg')}`, '-W', '-f', '${Built-Using}', pkg], { encoding: 'utf8' });
      const golang = /golang-\d+\.\d+ \(= ([\d.]+)-/.exec(builtUsing)?.[1];
      const files = execFileSync('dpkg-query', [`--admindir=${join(rootfs, 'var/lib/dpkg')}`, '-L', pkg], { encoding: 'utf8' }).split('\n');
      const binaries = catalog.packages.filter((p) => p.ecosystem === 'golang' && p.name === 'stdlib' && files.includes(p.locations[0]?.path ?? ''));

      expect(golang, pkg).toBeDefined();
      expect(binaries.length, pkg).toBeGreaterThan(0);
      for (const b of binaries) expect(b.version, `${pkg} ${b.locations[0]?.path ?? ''}`).toBe(`go${golang as string}`);
    }
  });

  it('lists the unowned copy in /usr/local/bin as a binary package, and no owned executable', () => {
    const unowned = catalog.packages.filter((p) => p.ecosystem === 'binary').map((p) => p.locations[0]?.path);

    expect(unowned).toContain('/usr/local/bin/registry');
    expect(unowned.filter((path) => path?.startsWith('/usr/bin/') === true)).toEqual([]);
  });
});
