import { describe, expect, it } from 'vitest';
import { alpineSecdbFeed } from './index.ts';

describe('alpine-secdb feed', () => {
  const doc = {
    distroversion: 'v3.19',
    reponame: 'main',
    packages: [
      { pkg: { name: 'openssl', secfixes: { '3.1.4-r1': ['CVE-2023-5363'], '3.1.4-r3': ['CVE-2023-5678 GHSA-jfh8-c2jp-5v3q'], '0': ['CVE-2022-0001'] } } },
      { pkg: { name: 'curl', secfixes: { '8.5.0-r0': ['CVE-2023-46218', 'CVE-2023-46219'] } } },
    ],
  };

  it('turns each fixed version and id into an ALPINE- advisory on Alpine:<release>', () => {
    expect(alpineSecdbFeed.accepts(doc)).toBe(true);
    const item = alpineSecdbFeed.normalise(doc);
    if (item.kind !== 'advisories') throw new Error('expected advisories');
    const byId = Object.fromEntries(item.advisories.map((a) => [a.id, a]));
    expect(byId['ALPINE-CVE-2023-5363']?.affected).toEqual([
      {
        ecosystem: 'Alpine:v3.19',
        name: 'openssl',
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.1.4-r1' }] }],
        versions: [],
        fixed: ['3.1.4-r1'],
        severity: [],
      },
    ]);
    expect(byId['ALPINE-CVE-2023-5678']?.aliases).toEqual(['CVE-2023-5678', 'GHSA-jfh8-c2jp-5v3q']);
    expect(byId['ALPINE-CVE-2023-46219']?.affected[0]?.name).toBe('curl');
  });

  it('emits no affected range for fixed version "0" (never affected)', () => {
    const item = alpineSecdbFeed.normalise(doc);
    if (item.kind !== 'advisories') throw new Error('expected advisories');
    expect(item.advisories.find((a) => a.id === 'ALPINE-CVE-2022-0001')?.affected).toEqual([]);
  });
});
