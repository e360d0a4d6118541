import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { corpusDir } from '../../../testing/peers.ts';
import { inlineTree } from '../../_shared/test-tree.ts';
import { runCatalog } from '../../run.ts';
import { dpkgStatus } from './index.ts';
import { parseDependsField, parseSource, parseStatus } from './parse-status.ts';

const SYFT = join(corpusDir(), 'syft-fixtures/syft/pkg/cataloger/debian/testdata');

describe('dpkg/parse-status', () => {
  it.each`
    field                   | name        | version      | expected
    ${undefined}            | ${'bash'}   | ${'5.2-1'}   | ${{ name: 'bash', version: '5.2-1' }}
    ${'glibc'}              | ${'libc6'}  | ${'2.36-9'}  | ${{ name: 'glibc', version: '2.36-9' }}
    ${'gcc-12 (12.2.0-14)'} | ${'libgcc'} | ${'1:12.2'}  | ${{ name: 'gcc-12', version: '12.2.0-14' }}
  `('reads Source $field', ({ field, name, version, expected }) => {
    expect(parseSource(field, name, version)).toEqual(expected);
  });

  it('parses Depends alternatives, versions and arch qualifiers', () => {
    expect(parseDependsField('libc6 (>= 2.34), perl:any | perl-base [amd64], debconf (>= 0.5) | debconf-2.0')).toEqual([
      ['libc6'],
      ['perl', 'perl-base'],
      ['debconf', 'debconf-2.0'],
    ]);
  });

  it('skips packages removed with config files left (deinstall) and keeps installed ones', () => {
    const parsed = parseStatus(readFileSync(join(SYFT, 'var/lib/dpkg/status.d/deinstall'), 'utf8'));

    expect(parsed.records.map((r) => `${r.name}@${r.version}`)).toEqual(['linux-image-6.14.0-1012-aws@6.14.0-1012.12~24.04.1']);
    expect(parsed.records[0]?.sourceName).toBe('linux-signed-aws-6.14');
  });

  it('records a stanza without Package/Version as a problem, never a crash', () => {
    const parsed = parseStatus('Package: a\nVersion: 1\n\nDescription: orphan\n\nPackage: b\nVersion: 2\n');

    expect(parsed.records.map((r) => r.name)).toEqual(['a', 'b']);
    expect(parsed.problems).toHaveLength(1);
  });
});

describe('dpkg cataloguer', () => {
  it('reads distroless status.d with md5sums ownership and a corrupt stanza as unknown', async () => {
    const tree = inlineTree({
      '/var/lib/dpkg/status.d/libsqlite3-0': readFileSync(join(SYFT, 'image-distroless-deb/var/lib/dpkg/status.d/libsqlite3-0')),
      '/var/lib/dpkg/status.d/libsqlite3-0.md5sums': readFileSync(join(SYFT, 'image-distroless-deb/var/lib/dpkg/status.d/libsqlite3-0.md5sums')),
      '/usr/lib/aarch64-linux-gnu/libsqlite3.so.0.8.6': 'elf',
      '/var/lib/dpkg/status.d/corrupt': readFileSync(join(SYFT, 'var/lib/dpkg/status.d/corrupt')),
    });
    const catalog = await runCatalog({ cataloguers: [dpkgStatus], tree, log: silentLogger });
    const sqlite = catalog.packages.find((p) => p.name === 'libsqlite3-0');

    expect(sqlite?.purl).toBe('pkg:deb/debian/libsqlite3-0@3.34.1-3?arch=arm64&upstream=sqlite3');
    expect(catalog.relationships).toContainEqual({ kind: 'owns', from: sqlite?.id, to: '/usr/lib/aarch64-linux-gnu/libsqlite3.so.0.8.6' });
    expect(catalog.unknowns).toContainEqual(expect.objectContaining({ source: 'dpkg-status', path: '/var/lib/dpkg/status.d/corrupt' }));
  });

  it('links Depends to installed packages, through Provides too', async () => {
    const tree = inlineTree({
      '/var/lib/dpkg/status':
        'Package: app\nStatus: install ok installed\nVersion: 1\nArchitecture: all\nDepends: awk | mawk, libc6 (>= 2)\n\n' +
        'Package: mawk\nStatus: install ok installed\nVersion: 1.3\nArchitecture: amd64\nProvides: awk\n\n' +
        'Package: libc6\nStatus: install ok installed\nVersion: 2.36\nArchitecture: amd64\n',
    });
    const catalog = await runCatalog({ cataloguers: [dpkgStatus], tree, log: silentLogger });

    expect(catalog.relationships.filter((r) => r.kind === 'depends-on')).toEqual([
      { kind: 'depends-on', from: 'deb:app:all@1', to: 'deb:libc6:amd64@2.36' },
      { kind: 'depends-on', from: 'deb:app:all@1', to: 'deb:mawk:amd64@1.3' },
    ]);
  });
});
