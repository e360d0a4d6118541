import { describe, expect, it } from 'vitest';
import { nodejsSecurityWgFeed, semverRangeToOsv } from './index.ts';

describe('nodejs-security-wg feed', () => {
  it.each`
    range                                  | expected
    ${'<=1.5.1'}                           | ${{ ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { last_affected: '1.5.1' }] }], versions: [] }}
    ${'>= 2.0.0 < 2.0.3'}                  | ${{ ranges: [{ type: 'SEMVER', events: [{ introduced: '2.0.0' }, { fixed: '2.0.3' }] }], versions: [] }}
    ${'<1.0.0 || >=2.0.0 <2.1.0'}          | ${{ ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }, { type: 'SEMVER', events: [{ introduced: '2.0.0' }, { fixed: '2.1.0' }] }], versions: [] }}
    ${'^1.2.0'}                            | ${{ ranges: [{ type: 'SEMVER', events: [{ introduced: '1.2.0' }, { fixed: '2.0.0' }] }], versions: [] }}
    ${'1.2.3'}                             | ${{ ranges: [], versions: ['1.2.3'] }}
    ${'*'}                                 | ${{ ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }], versions: [] }}
  `('converts $range', ({ range, expected }: { range: string; expected: unknown }) => {
    expect(semverRangeToOsv(range)).toEqual(expected);
  });

  it('leaves an unreadable range without ranges (so matching answers unknown)', () => {
    expect(semverRangeToOsv('latest')).toBeUndefined();
    const item = nodejsSecurityWgFeed.normalise({ id: 7, module_name: 'x', vulnerable_versions: 'latest', cves: [] });
    expect(item).toMatchObject({ kind: 'advisories', advisories: [{ id: 'NSWG-ECO-7', affected: [{ ranges: [], versions: [] }] }] });
  });

  it('normalises a record with CVEs and a CVSS vector', () => {
    const item = nodejsSecurityWgFeed.normalise({
      id: 1,
      module_name: 'bassmaster',
      cves: ['CVE-2014-7205'],
      vulnerable_versions: '<=1.5.1',
      patched_versions: '>=1.5.2',
      cvss_vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N',
      title: 'Arbitrary JavaScript Execution',
    });
    expect(item).toMatchObject({
      kind: 'advisories',
      advisories: [{ id: 'NSWG-ECO-1', aliases: ['CVE-2014-7205'], severity: [{ type: 'CVSS_V3' }], affected: [{ ecosystem: 'npm', name: 'bassmaster' }] }],
    });
  });
});
