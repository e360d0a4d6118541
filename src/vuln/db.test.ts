import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Distro } from '../catalog/model.ts';
import { releaseKey, releaseMatches } from './db.ts';
import { distroEcosystem } from './match.ts';
import { normaliseDocument } from './registry.ts';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/osv/', import.meta.url));

/** The ecosystem the catalogue's distro (os-release ID + VERSION_ID) is looked up under. */
function ecosystemOf(distro: Distro): string {
  const eco = distroEcosystem(distro);
  if ('gap' in eco) throw new Error(eco.gap);
  return eco.ecosystem;
}

function ecosystemsIn(path: string): string[] {
  const raw = readFileSync(`${CORPUS}${path}`, 'utf8');
  const item = normaliseDocument(path.endsWith('.json') ? JSON.parse(raw) : parseYaml(raw));
  if (item.kind !== 'advisories') throw new Error(`not advisories: ${path}`);
  return [...new Set(item.advisories.flatMap((a) => a.affected.map((p) => p.ecosystem)))];
}

// [advisory ecosystem as published, os-release of an image it applies to, one it does not]
// AlmaLinux and Alpine strings occur in ../shared/corpus/osv (grep '"ecosystem"', secdb distroversion);
// the others are the spellings osv.dev publishes for those distros (OSV schema ecosystem list).
const TABLE: ReadonlyArray<readonly [string, Distro, Distro]> = [
  ['AlmaLinux:8', { id: 'almalinux', versionId: '8.10' }, { id: 'almalinux', versionId: '9.4' }],
  ['AlmaLinux:9', { id: 'almalinux', versionId: '9.3' }, { id: 'almalinux', versionId: '10.0' }],
  ['AlmaLinux:10', { id: 'almalinux', versionId: '10.0' }, { id: 'almalinux', versionId: '1.0' }],
  ['Alpine:v3.11', { id: 'alpine', versionId: '3.11.13' }, { id: 'alpine', versionId: '3.1.4' }],
  ['Alpine:v3.19', { id: 'alpine', versionId: '3.19.1' }, { id: 'alpine', versionId: '3.1.9' }],
  ['Alpine:3.19', { id: 'alpine', versionId: '3.19.0' }, { id: 'alpine', versionId: '3.20.0' }],
  ['Debian:12', { id: 'debian', versionId: '12' }, { id: 'debian', versionId: '11' }],
  ['Debian:bookworm', { id: 'debian', versionId: '12' }, { id: 'debian', versionId: '13' }],
  ['Debian:11', { id: 'debian', versionId: '11' }, { id: 'debian', versionId: '1' }],
  ['Ubuntu:22.04:LTS', { id: 'ubuntu', versionId: '22.04' }, { id: 'ubuntu', versionId: '24.04' }],
  ['Ubuntu:24.04:LTS', { id: 'ubuntu', versionId: '24.04' }, { id: 'ubuntu', versionId: '24.10' }],
  ['Ubuntu:24.10', { id: 'ubuntu', versionId: '24.10' }, { id: 'ubuntu', versionId: '24.04' }],
  ['Ubuntu:Pro:18.04:LTS', { id: 'ubuntu', versionId: '18.04' }, { id: 'ubuntu', versionId: '20.04' }],
  ['Ubuntu:Pro:FIPS:22.04:LTS', { id: 'ubuntu', versionId: '22.04' }, { id: 'ubuntu', versionId: '22.10' }],
  ['Rocky Linux:9', { id: 'rocky', versionId: '9.3' }, { id: 'rocky', versionId: '8.9' }],
  ['Rocky Linux:8', { id: 'rocky', versionId: '8.10' }, { id: 'rocky', versionId: '9.0' }],
  ['Red Hat:enterprise_linux:9::appstream', { id: 'rhel', versionId: '9.4' }, { id: 'rhel', versionId: '8.10' }],
  ['Red Hat:rhel_eus:8.6::baseos', { id: 'rhel', versionId: '8.6' }, { id: 'rhel', versionId: '9.6' }],
  ['openSUSE:Leap 15.5', { id: 'opensuse-leap', versionId: '15.5' }, { id: 'opensuse-leap', versionId: '15.6' }],
  ['Mageia:9', { id: 'mageia', versionId: '9' }, { id: 'mageia', versionId: '8' }],
];

describe('release matching (advisory ecosystem vs the distro the catalogue detected)', () => {
  it.each(TABLE)('%s applies to the matching release and not to another', (advisory, yes, no) => {
    expect(releaseMatches(ecosystemOf(yes), advisory)).toBe(true);
    expect(releaseMatches(ecosystemOf(no), advisory)).toBe(false);
  });

  it('canonicalises each spelling of a release to one key', () => {
    expect(['Alpine:v3.19', 'Alpine:3.19', 'Alpine:3.19.1'].map(releaseKey)).toEqual(['3.19', '3.19', '3.19']);
    expect(['Debian:12', 'Debian:12.5', 'Debian:bookworm'].map(releaseKey)).toEqual(['12', '12', '12']);
    expect(['Ubuntu:22.04', 'Ubuntu:22.04:LTS', 'Ubuntu:Pro:22.04:LTS'].map(releaseKey)).toEqual(['22.04', '22.04', '22.04']);
    expect(['AlmaLinux:9', 'AlmaLinux:9.3', 'Red Hat:enterprise_linux:9::appstream'].map(releaseKey)).toEqual(['9', '9', '9']);
    expect(releaseKey('Alpine:edge')).toBe('edge');
    expect(releaseKey('Debian')).toBeUndefined();
    expect(releaseKey('npm')).toBeUndefined();
  });

  it('keeps bases apart and lets a release-less side match any release', () => {
    expect(releaseMatches('Debian:12', 'Ubuntu:12')).toBe(false);
    expect(releaseMatches('Debian', 'Debian:12')).toBe(true);
    expect(releaseMatches('Debian:12', 'Debian')).toBe(true);
    expect(releaseMatches('Rocky Linux:9', 'AlmaLinux:9')).toBe(false);
  });

  it('matches the ecosystems of real corpus records to the distros they are for', () => {
    const alma9 = ecosystemsIn('almalinux/almalinux9/ALBA-2022:8256.json');
    expect(alma9).toEqual(['AlmaLinux:9']);
    expect(alma9.every((e) => releaseMatches(ecosystemOf({ id: 'almalinux', versionId: '9.4' }), e))).toBe(true);
    expect(alma9.some((e) => releaseMatches(ecosystemOf({ id: 'almalinux', versionId: '8.10' }), e))).toBe(false);
    const alpine = ecosystemsIn('alpine-secdb/v3.11/main.yaml');
    expect(alpine).toEqual(['Alpine:v3.11']);
    expect(releaseMatches(ecosystemOf({ id: 'alpine', versionId: '3.11.6' }), alpine[0] ?? '')).toBe(true);
    expect(releaseMatches(ecosystemOf({ id: 'alpine', versionId: '3.12.0' }), alpine[0] ?? '')).toBe(false);
  });
});
