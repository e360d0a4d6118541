import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { openDirTree } from '../../../image/index.ts';
import { runCatalog } from '../../run.ts';
import { yarnLock } from './index.ts';

const work = mkdtempSync(join(tmpdir(), 'tollgate-yarn-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const stanza = (specs: string, version: string, deps: Record<string, string> = {}): string =>
  `${specs}:\n  version "${version}"\n  resolved "https://registry.yarnpkg.com/${specs.split('@')[0] ?? ''}/-/${specs.split('@')[0] ?? ''}-${version}.tgz"\n` +
  (Object.keys(deps).length > 0 ? `  dependencies:\n${Object.entries(deps).map(([n, r]) => `    ${n} "${r}"\n`).join('')}` : '');

describe('yarn-lock cataloguer', () => {
  it('links each lockfile\'s dependencies to packages of the same lockfile only', async () => {
    // p1 and p2 both lock b@2.0.0; p2 locks it under two stanzas and a depends on the second one
    mkdirSync(join(work, 'p1'));
    mkdirSync(join(work, 'p2'));
    writeFileSync(join(work, 'p1', 'yarn.lock'), `# yarn lockfile v1\n\n${stanza('b@^2.0.0', '2.0.0')}`);
    writeFileSync(join(work, 'p2', 'yarn.lock'), `# yarn lockfile v1\n\n${stanza('a@^1.0.0', '1.0.0', { b: '~2.0.0' })}\n${stanza('b@^2.0.0', '2.0.0')}\n${stanza('b@~2.0.0', '2.0.0')}`);
    const catalog = await runCatalog({ cataloguers: [yarnLock], tree: await openDirTree(work), log: silentLogger });
    expect(catalog.packages.map((p) => p.id).sort()).toEqual(['npm:a@1.0.0:/p2/yarn.lock', 'npm:b@2.0.0:/p1/yarn.lock', 'npm:b@2.0.0:/p2/yarn.lock']);
    const edges = catalog.relationships.filter((r) => r.kind === 'depends-on').map((r) => [r.from, r.to]);
    expect(edges).toEqual([['npm:a@1.0.0:/p2/yarn.lock', 'npm:b@2.0.0:/p2/yarn.lock']]);
  });
});
