import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { corpusDir } from '../../../testing/peers.ts';
import { inlineTree } from '../../_shared/test-tree.ts';
import { runCatalog } from '../../run.ts';
import { apkDb } from './index.ts';
import { dependencyName, parseInstalledDb } from './parse-installed-db.ts';

const SYFT = join(corpusDir(), 'syft-fixtures/syft/pkg/cataloger/alpine/testdata');

describe('apk/parse-installed-db', () => {
  it('reads name, version, arch, licence, origin and owned files (syft fixture "single")', () => {
    const parsed = parseInstalledDb(readFileSync(join(SYFT, 'single'), 'utf8'));

    expect(parsed.problems).toEqual([]);
    expect(parsed.records).toHaveLength(1);
    expect(parsed.records[0]).toMatchObject({ name: 'musl-utils', version: '1.1.24-r2', arch: 'x86_64', origin: 'musl' });
    expect(parsed.records[0]?.files).toContain('/sbin/ldconfig');
  });

  it.each([
    ['so:libc.musl-x86_64.so.1', 'so:libc.musl-x86_64.so.1'],
    ['musl>=1.2', 'musl'],
    ['!foo', ''],
  ])('dependency token %s → %s', (token, name) => {
    expect(dependencyName(token)).toBe(name);
  });

  it('turns a record without P:/V: into a problem', () => {
    expect(parseInstalledDb('P:a\nV:1\n\nT:orphan\n').problems).toHaveLength(1);
  });
});

describe('apk cataloguer', () => {
  it('catalogues the syft multi-package fixture with purls, licences and depends-on edges', async () => {
    const tree = inlineTree({
      '/etc/os-release': 'ID=alpine\nVERSION_ID=3.12.0\n',
      '/lib/apk/db/installed': readFileSync(join(SYFT, 'multiple-1/lib/apk/db/installed')),
    });
    const catalog = await runCatalog({ cataloguers: [apkDb], tree, log: silentLogger });

    expect(catalog.packages.map((p) => `${p.name}@${p.version}`)).toHaveLength(4);
    expect(catalog.packages.every((p) => p.purl.startsWith('pkg:apk/alpine/'))).toBe(true);
    expect(catalog.relationships.some((r) => r.kind === 'owns')).toBe(true);
  });

  it('records the corrupt fixture as unknown instead of failing', async () => {
    const tree = inlineTree({ '/lib/apk/db/installed': readFileSync(join(SYFT, 'corrupt/lib/apk/db/installed')) });
    const catalog = await runCatalog({ cataloguers: [apkDb], tree, log: silentLogger });

    expect(catalog.unknowns.length).toBeGreaterThan(0);
  });
});
