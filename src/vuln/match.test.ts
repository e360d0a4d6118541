import { describe, expect, it } from 'vitest';
import type { Package } from '../catalog/model.ts';
import type { Advisory } from './advisory.ts';
import { distroEcosystem, lookupSource, matchCatalog, matchKey, type MatchSource } from './match.ts';

function pkg(p: Partial<Package> & Pick<Package, 'name' | 'version' | 'ecosystem'>): Package {
  return { id: `${p.ecosystem}:${p.name}@${p.version}`, purl: '', licenses: [], locations: [], foundBy: 'test', ...p };
}

function adv(id: string, ecosystem: string, name: string, events: Record<string, string>[], extra: Partial<Advisory> = {}): Advisory {
  const fixed = events.flatMap((e) => (e['fixed'] !== undefined ? [e['fixed']] : []));
  return { id, feed: 'osv', aliases: [], related: [], severity: [], affected: [{ ecosystem, name, ranges: [{ type: 'ECOSYSTEM', events }], versions: [], fixed, severity: [] }], ...extra };
}

const lookupOf = (advisories: readonly Advisory[]) => (ecosystem: string, name: string): readonly Advisory[] =>
  advisories.filter((a) => a.affected.some((e) => e.ecosystem.split(':')[0] === ecosystem.split(':')[0] && e.name === name));

describe('matchKey / distroEcosystem', () => {
  it('maps distros to the OSV ecosystem-and-release', () => {
    expect(distroEcosystem({ id: 'debian', versionId: '12' })).toEqual({ ecosystem: 'Debian:12' });
    expect(distroEcosystem({ id: 'alpine', versionId: '3.19.1' })).toEqual({ ecosystem: 'Alpine:v3.19' });
    expect(distroEcosystem({ id: 'almalinux', versionId: '9.4' })).toEqual({ ecosystem: 'AlmaLinux:9' });
    expect(distroEcosystem({ id: 'ubuntu', versionId: '22.04' })).toEqual({ ecosystem: 'Ubuntu:22.04' });
    expect('gap' in distroEcosystem({ id: 'debian' })).toBe(true);
    expect('gap' in distroEcosystem(undefined)).toBe(true);
  });

  it('Debian by source package and source version; Alpine by origin; npm scoped names; Maven group:artifact', () => {
    const debian = { id: 'debian', versionId: '12' };
    expect(matchKey(pkg({ name: 'libssl3', version: '3.0.17-1~deb12u2', ecosystem: 'deb', source: { name: 'openssl', version: '3.0.17-1~deb12u2' } }), debian)).toEqual({ ecosystem: 'Debian:12', name: 'openssl', version: '3.0.17-1~deb12u2', by: 'source' });
    expect(matchKey(pkg({ name: 'libcrypto3', version: '3.1.4-r5', ecosystem: 'apk', source: { name: 'openssl' } }), { id: 'alpine', versionId: '3.19.1' })).toMatchObject({ ecosystem: 'Alpine:v3.19', name: 'openssl', by: 'origin' });
    expect(matchKey(pkg({ name: '@babel/traverse', version: '7.22.0', ecosystem: 'npm', purl: 'pkg:npm/%40babel/traverse@7.22.0' }), undefined)).toMatchObject({ ecosystem: 'npm', name: '@babel/traverse', version: '7.22.0' });
    expect(matchKey(pkg({ name: 'jackson-databind', version: '2.9.1', ecosystem: 'maven', purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.1' }), undefined)).toMatchObject({ ecosystem: 'Maven', name: 'com.fasterxml.jackson.core:jackson-databind' });
    expect(matchKey(pkg({ name: 'x', version: '1', ecosystem: 'deb' }), undefined)).toHaveProperty('gap');
  });
});

describe('matchCatalog', () => {
  const debian = { id: 'debian', versionId: '12' };
  const openssl = pkg({ name: 'libssl3', version: '3.0.17-1~deb12u2', ecosystem: 'deb', source: { name: 'openssl', version: '3.0.17-1~deb12u2' } });

  it('merges aliases into one finding, reports fixed versions, skips withdrawn and other releases', () => {
    const advisories = [
      adv('DSA-1', 'Debian:12', 'openssl', [{ introduced: '0' }, { fixed: '3.0.18-1~deb12u1' }], { aliases: ['CVE-2025-1'] }),
      adv('CVE-2025-1', 'Debian:12', 'openssl', [{ introduced: '0' }, { fixed: '3.0.18-1~deb12u1' }], { severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', source: 'osv' }] }),
      adv('CVE-2025-2', 'Debian:12', 'openssl', [{ introduced: '0' }, { fixed: '3.0.18-1~deb12u1' }], { withdrawn: '2025-01-01T00:00:00Z' }),
      adv('CVE-2025-3', 'Debian:11', 'openssl', [{ introduced: '0' }, { fixed: '9.9' }]),
      adv('CVE-2025-4', 'Debian:12', 'openssl', [{ introduced: '0' }, { fixed: '3.0.11-1~deb12u1' }]),
    ];
    const r = matchCatalog({ packages: [openssl], distro: debian }, lookupOf(advisories));
    expect(r.findings.map((f) => f.id)).toEqual(['CVE-2025-1']);
    const f = r.findings[0];
    expect(f?.aliases).toEqual(['CVE-2025-1', 'DSA-1']);
    expect(f?.fixed).toEqual(['3.0.18-1~deb12u1']);
    expect(f?.severity).toBe('critical');
    expect(f?.rating).toMatchObject({ score: 9.8, type: 'CVSS_V3' });
  });

  it('looks names up in chunks, in first-use order, each name once however often it recurs', () => {
    // 300 distinct npm names, each listed twice (far apart), half at a vulnerable version.
    const names = Array.from({ length: 300 }, (_, i) => `pkg-${String(i)}`);
    const advisories = names.map((n, i) => adv(`GHSA-${String(i)}`, 'npm', n, [{ introduced: '0' }, { fixed: '2.0.0' }], { aliases: [`CVE-2025-${String(i)}`] }));
    const packages = [...names, ...names].map((n, i) => pkg({ name: n, version: i % 2 === 0 ? '1.0.0' : '2.0.0', ecosystem: 'npm', purl: `pkg:npm/${n}@${i % 2 === 0 ? '1.0.0' : '2.0.0'}`, id: `p${String(i)}` }));
    const calls: (readonly string[])[] = [];
    const source = lookupSource(lookupOf(advisories));
    const batched: MatchSource = {
      matchEntriesForMany: (ecosystem, ns) => {
        calls.push(ns);
        return source.matchEntriesForMany(ecosystem, ns);
      },
      advisoryHeads: (refs) => source.advisoryHeads(refs),
    };
    const r = matchCatalog({ packages }, batched);
    expect(r.findings).toHaveLength(300);
    expect(r.stats).toEqual({ packages: 600, lookups: 300, advisories: 300 });
    expect(calls.flat()).toEqual(names);
    expect(calls.length).toBeLessThan(5);
  });

  it('an unparseable version or an unknown scheme is affected: unknown, never dropped', () => {
    const weird = pkg({ name: 'left-pad', version: 'not a version!', ecosystem: 'npm', purl: 'pkg:npm/left-pad@not%20a%20version%21' });
    const r = matchCatalog({ packages: [weird] }, lookupOf([adv('GHSA-x', 'npm', 'left-pad', [{ introduced: '0' }, { fixed: '1.3.0' }])]));
    expect(r.findings.map((f) => [f.id, f.affected])).toEqual([['GHSA-x', 'unknown']]);
    expect(r.findings[0]?.reason).toBeTruthy();
    const noScheme = pkg({ name: 'pcre', version: '8.43', ecosystem: 'generic', purl: 'pkg:conan/pcre@8.43' });
    const r2 = matchCatalog({ packages: [noScheme] }, lookupOf([adv('CVE-2020-14155', 'ConanCenter', 'pcre', [{ introduced: '0' }, { fixed: '8.45' }])]));
    expect(r2.findings.map((f) => f.affected)).toEqual(['unknown']);
  });

  it('packages of an unknown distro release are gaps, not silently clean', () => {
    const r = matchCatalog({ packages: [openssl], distro: { id: 'debian' } }, () => []);
    expect(r.gaps.map((g) => g.packageId)).toEqual([openssl.id]);
  });
});

describe('matchCatalog severity ratings', () => {
  it('scores one vector once per run but names each advisory as its rating\'s source', () => {
    const vector = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
    const advisories = ['GO-2024-0001', 'GO-2024-0002'].map((id) =>
      adv(id, 'Go', 'example.com/m', [{ introduced: '0' }, { fixed: '1.2.0' }], { severity: [{ type: 'CVSS_V3', score: vector, source: 'osv' }] }),
    );
    const found = matchCatalog({ packages: [pkg({ name: 'example.com/m', version: '1.0.0', ecosystem: 'golang', purl: 'pkg:golang/example.com/m@1.0.0' })] }, lookupOf(advisories));
    expect(found.findings.map((f) => [f.id, f.rating?.score, f.rating?.source])).toEqual([
      ['GO-2024-0001', 9.8, 'GO-2024-0001:osv'],
      ['GO-2024-0002', 9.8, 'GO-2024-0002:osv'],
    ]);
  });
});
