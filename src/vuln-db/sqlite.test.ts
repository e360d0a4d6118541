import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { MATCHING_FORM_VERSION, type Advisory } from '../vuln/advisory.ts';
import { openSqliteVulnDb } from './sqlite.ts';

const source = (name: string) => ({ name, kind: 'folder' as const, importedAt: '2026-01-01T00:00:00Z', advisories: 0, affected: 0, skipped: 2 });

const adv = (id: string, ecosystem: string, name: string, over: Partial<Advisory> = {}): Advisory => ({
  id,
  feed: 'osv',
  aliases: ['CVE-2024-0008'],
  related: ['CVE-2000-0001'],
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', source: 'osv' }],
  affected: [{ ecosystem, name, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }], versions: ['1.0'], fixed: ['2.0'], severity: [] }],
  ...over,
});

describe('sqlite advisory database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-sqlite-'));

  it('round-trips advisories and finds them by package and by alias', () => {
    const db = openSqliteVulnDb(join(dir, 'a.db'), { create: true });
    db.replaceSource(source('s1'), [adv('PYSEC-1', 'PyPI', 'Django_Rest.Framework'), adv('DEBIAN-1', 'Debian:12', 'curl', { withdrawn: '2025-01-01' })]);
    const found = db.advisoriesFor('PyPI', 'django-rest-framework');
    expect(found).toEqual([adv('PYSEC-1', 'PyPI', 'Django_Rest.Framework', { modified: undefined, published: undefined, withdrawn: undefined, summary: undefined })]);
    expect(db.advisoriesFor('Debian:12', 'curl').map((a) => a.id)).toEqual(['DEBIAN-1']);
    expect(db.advisoriesFor('Debian', 'curl').map((a) => a.id)).toEqual(['DEBIAN-1']);
    expect(db.advisoriesFor('Debian:11', 'curl')).toEqual([]);
    expect(db.advisoriesById('CVE-2024-0008').map((a) => a.id).sort()).toEqual(['DEBIAN-1', 'PYSEC-1']);
    expect(db.counts()).toMatchObject({ advisories: 2, affected: 2, withdrawn: 1, byEcosystem: { Debian: 1, PyPI: 1 } });
    expect(db.sources()).toMatchObject([{ name: 's1', advisories: 2, affected: 2, skipped: 2 }]);
    db.close();
  });

  it('replaces what a source gave before, leaving other sources alone', () => {
    const db = openSqliteVulnDb(join(dir, 'b.db'), { create: true });
    db.replaceSource(source('s1'), [adv('A-1', 'npm', 'x'), adv('A-2', 'npm', 'y')]);
    db.replaceSource(source('s2'), [adv('B-1', 'npm', 'x')]);
    db.replaceSource(source('s1'), [adv('A-3', 'npm', 'x')]);
    expect(db.advisoriesFor('npm', 'x').map((a) => a.id).sort()).toEqual(['A-3', 'B-1']);
    expect(db.advisoriesFor('npm', 'y')).toEqual([]);
    expect(db.counts()).toMatchObject({ advisories: 2, affected: 2 });
    // two entries of one advisory for one name come back as one advisory, entries in their order
    const two = adv('C-1', 'npm', 'z');
    const second = { ...(two.affected[0] as Advisory['affected'][number]), ranges: [{ type: 'SEMVER' as const, events: [{ introduced: '3.0.0' }, { fixed: '3.1.0' }] }], fixed: ['3.1.0'] };
    db.replaceSource(source('s3'), [{ ...two, affected: [...two.affected, second] }]);
    expect(db.advisoriesFor('npm', 'z').map((a) => a.affected.map((e) => e.fixed[0]))).toEqual([['2.0', '3.1.0']]);
    db.replaceSource(source('s3'), []);
    expect(db.advisoriesFor('npm', 'z')).toEqual([]);
    expect(db.advisoriesFor('npm', 'x').map((a) => a.id).sort()).toEqual(['A-3', 'B-1']);
    db.close();
  });

  it('finds advisories by canonical release through the index, and matching entries for many names in one call', () => {
    const db = openSqliteVulnDb(join(dir, 'r.db'), { create: true });
    db.replaceSource(source('s1'), [
      adv('USN-1', 'Ubuntu:22.04:LTS', 'curl'),
      adv('USN-2', 'Ubuntu:Pro:22.04:LTS', 'curl'),
      adv('USN-3', 'Ubuntu:24.04:LTS', 'curl'),
      adv('DSA-1', 'Debian:bookworm', 'curl'),
      adv('ALPINE-1', 'Alpine:v3.19', 'curl'),
      adv('ALSA-1', 'AlmaLinux:9', 'curl'),
      adv('ALSA-2', 'AlmaLinux:8', 'curl'),
      adv('PYSEC-1', 'PyPI', 'Django'),
    ]);
    const ids = (eco: string, name: string): string[] => db.advisoriesFor(eco, name).map((a) => a.id);
    expect(ids('Ubuntu:22.04', 'curl')).toEqual(['USN-1', 'USN-2']);
    expect(ids('Ubuntu:24.04', 'curl')).toEqual(['USN-3']);
    expect(ids('Ubuntu', 'curl')).toEqual(['USN-1', 'USN-2', 'USN-3']);
    expect(ids('Debian:12', 'curl')).toEqual(['DSA-1']);
    expect(ids('Alpine:3.19', 'curl')).toEqual(['ALPINE-1']);
    expect(ids('AlmaLinux:9', 'curl')).toEqual(['ALSA-1']);
    // advisoriesFor keys names as the index does (PEP 503 for PyPI)
    expect(ids('PyPI', 'django')).toEqual(['PYSEC-1']);
    expect(ids('PyPI', 'Django')).toEqual(['PYSEC-1']);
    expect(ids('PyPI', 'flask')).toEqual([]);
    // the batched lookup matching runs: every name present, spelled as asked
    const many = db.matchEntriesForMany('PyPI', ['django', 'Django', 'flask']);
    expect([...many.keys()]).toEqual(['django', 'Django', 'flask']);
    const headIds = (entries: readonly (readonly [number, ...unknown[]])[] | undefined): string[] =>
      [...db.advisoryHeads((entries ?? []).map((e) => e[0])).values()].map((h) => h.id);
    expect(headIds(many.get('django'))).toEqual(['PYSEC-1']);
    expect(headIds(many.get('Django'))).toEqual(['PYSEC-1']);
    expect(many.get('flask')).toEqual([]);
    const ubuntu = db.matchEntriesForMany('Ubuntu:22.04', ['curl']).get('curl');
    expect(headIds(ubuntu).sort()).toEqual(['USN-1', 'USN-2']);
    db.close();
  });

  it('refuses a database written in another format, saying which and what to do', () => {
    const path = join(dir, 'old.db');
    const db = openSqliteVulnDb(path, { create: true });
    db.close();
    const raw = new DatabaseSync(path);
    raw.prepare("UPDATE meta SET value = '4' WHERE key = 'schema_version'").run();
    raw.close();
    expect(() => openSqliteVulnDb(path, { create: false })).toThrow(expect.objectContaining({ code: 'VULN_DB_INVALID', details: expect.objectContaining({ format: 4, expected: 7 }) }));
    expect(() => openSqliteVulnDb(path, { create: true })).toThrow(/format 4; this tollgate reads format 7/);
  });

  it('refuses a database built for another version matching (its matching form could be wrong here), for reading and for importing into', () => {
    const path = join(dir, 'other-matching.db');
    const db = openSqliteVulnDb(path, { create: true });
    db.close();
    const raw = new DatabaseSync(path);
    expect(raw.prepare("SELECT value FROM meta WHERE key = 'matching_form'").get()).toEqual({ value: String(MATCHING_FORM_VERSION) });
    raw.prepare("UPDATE meta SET value = '0' WHERE key = 'matching_form'").run();
    raw.close();
    expect(() => openSqliteVulnDb(path, { create: false })).toThrow(expect.objectContaining({ code: 'VULN_DB_INVALID', details: expect.objectContaining({ matchingForm: '0' }) }));
    expect(() => openSqliteVulnDb(path, { create: true })).toThrow(/built for version matching 0/);
  });

  it('fails with VULN_DB_MISSING when the file is absent and VULN_DB_INVALID when it is not ours', () => {
    expect(() => openSqliteVulnDb(join(dir, 'none.db'), { create: false })).toThrowError(expect.objectContaining({ code: 'VULN_DB_MISSING' }));
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not sqlite at all');
    expect(() => openSqliteVulnDb(junk, { create: false })).toThrowError(expect.objectContaining({ code: 'VULN_DB_INVALID' }));
    const other = openSqliteVulnDb(join(dir, 'c.db'), { create: true });
    other.close();
    expect(() => openSqliteVulnDb(join(dir, 'c.db'), { create: false }).close()).not.toThrow();
  });

  it('stores entries for matching without the listed versions their ranges contain; advisoriesFor and heads give them as imported', () => {
    const db = openSqliteVulnDb(join(dir, 'm.db'), { create: true });
    const listed = adv('PYSEC-9', 'PyPI', 'flask', {
      summary: 'a flaw',
      affected: [{ ecosystem: 'PyPI', name: 'flask', ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { fixed: '2.0' }] }], versions: ['1.0', '1.5', '3.0'], fixed: ['2.0'], severity: [] }],
    });
    db.replaceSource(source('s'), [listed, adv('PYSEC-10', 'PyPI', 'flask', { withdrawn: '2025-01-01' })]);
    const entries = db.matchEntriesForMany('PyPI', ['Flask']).get('Flask') ?? [];
    // PYSEC-9 lists 1.0 and 1.5 inside its range [1.0, 2.0) and 3.0 outside; PYSEC-10 lists 1.0 inside [0, 2.0)
    expect(entries.map((e) => e[4])).toEqual([['3.0'], []]);
    expect(db.advisoriesFor('PyPI', 'flask').find((a) => a.id === 'PYSEC-9')?.affected[0]?.versions).toEqual(['1.0', '1.5', '3.0']);
    const refs = entries.map((e) => e[0]);
    const heads = db.advisoryHeads(refs);
    expect([...heads.values()].map((h) => [h.id, h.summary, h.withdrawn])).toEqual([
      ['PYSEC-9', 'a flaw', undefined],
      ['PYSEC-10', undefined, '2025-01-01'],
    ]);
    expect(heads.get(refs[0] ?? -1)).toEqual({ id: 'PYSEC-9', aliases: ['CVE-2024-0008'], related: ['CVE-2000-0001'], severity: listed.severity, summary: 'a flaw', withdrawn: undefined });
    expect(db.advisoryHeads([999_999]).size).toBe(0);
    db.close();
  });
});
