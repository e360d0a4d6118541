import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { corpusDir } from '../../../testing/peers.ts';
import { inlineTree } from '../../_shared/test-tree.ts';
import { runCatalog } from '../../run.ts';
import { npmInstalled } from './index.ts';
import { declaredLicenses, parsePackageJson } from './parse-package-json.ts';
import { parsePackageLock } from './parse-package-lock.ts';
import { parseKey, parsePnpmLock } from './parse-pnpm-lock.ts';
import { nameFromResolved, parseYarnLock } from './parse-yarn-lock.ts';

const JS = join(corpusDir(), 'syft-fixtures/syft/pkg/cataloger/javascript/testdata');
const read = (p: string): string => readFileSync(join(JS, p), 'utf8');

describe('npm parsers', () => {
  it.each([
    ['MIT', undefined, ['MIT']],
    [{ type: 'ISC' }, undefined, ['ISC']],
    [undefined, [{ type: 'MIT' }, { type: 'Apache-2.0' }], ['MIT', 'Apache-2.0']],
  ])('licence shapes %j / %j', (license, licenses, expected) => {
    expect(declaredLicenses(license, licenses)).toEqual(expected);
  });

  it('rejects a package.json without a version', () => {
    expect(parsePackageJson('{"name":"x"}').ok).toBe(false);
    expect(parsePackageJson('{').ok).toBe(false);
  });

  it('reads package-lock v1 (nested) and v2/v3 (packages) including the project itself', () => {
    const v1 = parsePackageLock(read('pkg-lock/nested-package-lock-1.json'));
    const v3 = parsePackageLock(read('pkg-lock/package-lock-3.json'));

    expect(v1.ok && v1.entries.length).toBeGreaterThan(3);
    expect(v3.ok && v3.entries.some((e) => e.name === 'lock-v3-fixture' && e.path === '')).toBe(true);
  });

  it.each([
    ['/nanoid/3.3.4', 'nanoid', '3.3.4'],
    ['/@babel/core/7.18.0_peer@1', '@babel/core', '7.18.0'],
    ['/react-dom@18.2.0(react@18.2.0)', 'react-dom', '18.2.0'],
    ['@pnpm/exe.linux-x64@12.0.0-rc.3', '@pnpm/exe.linux-x64', '12.0.0-rc.3'],
  ])('pnpm key %s', (key, name, version) => {
    expect(parseKey(key)).toEqual({ name, version });
  });

  it('reads pnpm v9 with snapshots', () => {
    const parsed = parsePnpmLock(read('pnpm-v9/pnpm-lock.yaml'));

    expect(parsed.ok && parsed.entries.map((e) => `${e.name}@${e.version}`)).toContain('rollup@4.18.0');
  });

  it('reads yarn classic (aliases by their tarball name) and berry', () => {
    const classic = parseYarnLock(read('yarn/yarn.lock'));
    const berry = parseYarnLock(read('yarn-berry/yarn.lock'));

    expect(classic.ok && classic.entries.some((e) => e.name === 'something-i-made-up' && e.version === '7.7.7')).toBe(true);
    expect(berry.ok && berry.berry && berry.entries.some((e) => e.name === '@babel/code-frame' && e.version === '7.10.4')).toBe(true);
    expect(nameFromResolved('https://registry.yarnpkg.com/@4lolo/resize-observer-polyfill/-/x-1.5.2.tgz#abc')).toBe('@4lolo/resize-observer-polyfill');
  });
});

describe('npm-installed cataloguer', () => {
  it('finds nested and scoped packages, resolves dependencies like Node, and records bad manifests', async () => {
    const tree = inlineTree({
      '/app/node_modules/express/package.json': JSON.stringify({ name: 'express', version: '4.21.0', license: 'MIT', dependencies: { debug: '2.6.9', '@s/x': '1' } }),
      '/app/node_modules/express/node_modules/debug/package.json': JSON.stringify({ name: 'debug', version: '2.6.9', license: 'MIT' }),
      '/app/node_modules/debug/package.json': JSON.stringify({ name: 'debug', version: '4.3.4', license: 'MIT' }),
      '/app/node_modules/@s/x/package.json': JSON.stringify({ name: '@s/x', version: '1.0.0', license: 'Apache 2.0' }),
      '/app/node_modules/broken/package.json': '{ not json',
      '/app/node_modules/express/lib/package.json': JSON.stringify({ name: 'not-a-package', version: '0' }),
    });
    const catalog = await runCatalog({ cataloguers: [npmInstalled], tree, log: silentLogger });

    expect(catalog.packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual(['@s/x@1.0.0', 'debug@2.6.9', 'debug@4.3.4', 'express@4.21.0']);
    expect(catalog.packages.find((p) => p.name === '@s/x')).toMatchObject({ purl: 'pkg:npm/%40s/x@1.0.0', licenses: ['Apache-2.0'] });
    const express = catalog.packages.find((p) => p.name === 'express');
    const nested = catalog.packages.find((p) => p.version === '2.6.9');
    expect(catalog.relationships).toContainEqual({ kind: 'depends-on', from: express?.id, to: nested?.id });
    expect(catalog.unknowns).toEqual([expect.objectContaining({ source: 'npm-installed', path: '/app/node_modules/broken/package.json' })]);
  });
});
