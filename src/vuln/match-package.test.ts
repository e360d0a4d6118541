import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Advisory } from './advisory.ts';
import { normaliseDocument } from './registry.ts';
import { matchPackage } from './match-package.ts';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/osv/', import.meta.url));

function load(path: string): Advisory[] {
  const item = normaliseDocument(JSON.parse(readFileSync(`${CORPUS}${path}`, 'utf8')));
  if (item.kind !== 'advisories') throw new Error(`not advisories: ${path}`);
  return [...item.advisories];
}

const advisory = (over: Partial<Advisory> & Pick<Advisory, 'id'>): Advisory => ({
  feed: 'osv',
  aliases: [],
  related: [],
  severity: [],
  affected: [
    {
      ecosystem: 'npm',
      name: 'lodash',
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }],
      versions: [],
      fixed: ['4.17.21'],
      severity: [],
    },
  ],
  ...over,
});

describe('matchPackage', () => {
  it('matches a real Go advisory inside its range and not past the fix', () => {
    const gin = load('go-vulndb/GO-2020-0001.json');
    const hit = matchPackage({ ecosystem: 'Go', name: 'github.com/gin-gonic/gin', version: 'v1.5.0' }, gin);
    expect(hit).toMatchObject([{ id: 'CVE-2020-36567', affected: 'yes', fixed: ['1.6.0'], advisories: ['GO-2020-0001'] }]);
    expect(hit[0]?.ids).toEqual(expect.arrayContaining(['GO-2020-0001', 'GHSA-6vm3-jj99-7229']));
    expect(matchPackage({ ecosystem: 'Go', name: 'github.com/gin-gonic/gin', version: 'v1.6.0' }, gin)).toEqual([]);
  });

  it('merges advisories that share an alias into one finding, keeping every source of severity', () => {
    const a = advisory({ id: 'GHSA-p6mc-m468-83gw', aliases: ['CVE-2020-8203'], severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N', source: 'osv' }] });
    const b = advisory({ id: 'NSWG-ECO-1', aliases: ['CVE-2020-8203'], severity: [{ type: 'ecosystem', score: 'HIGH', source: 'x' }] });
    const c = advisory({ id: 'GHSA-other', aliases: ['CVE-2021-0001'] });
    const matches = matchPackage({ ecosystem: 'npm', name: 'lodash', version: '4.17.20' }, [a, b, c]);
    expect(matches.map((m) => m.id)).toEqual(['CVE-2020-8203', 'CVE-2021-0001']);
    expect(matches[0]?.advisories).toEqual(['GHSA-p6mc-m468-83gw', 'NSWG-ECO-1']);
    expect(matches[0]?.severity.map((s) => s.source)).toEqual(['GHSA-p6mc-m468-83gw:osv', 'NSWG-ECO-1:x']);
  });

  it('skips withdrawn advisories', () => {
    const w = advisory({ id: 'GHSA-w', withdrawn: '2024-01-01T00:00:00Z' });
    expect(matchPackage({ ecosystem: 'npm', name: 'lodash', version: '1.0.0' }, [w])).toEqual([]);
  });

  it('answers unknown, never no, when the installed version does not parse', () => {
    const m = matchPackage({ ecosystem: 'npm', name: 'lodash', version: 'not-a-version' }, [advisory({ id: 'GHSA-x' })]);
    expect(m).toMatchObject([{ affected: 'unknown' }]);
    expect(m[0]?.reasons.length).toBe(1);
  });

  it('matches OS packages by release and by source package', () => {
    const a: Advisory = {
      id: 'ALPINE-CVE-2019-14904',
      feed: 'alpine-secdb',
      aliases: ['CVE-2019-14904'],
      related: [],
      severity: [],
      affected: [
        { ecosystem: 'Alpine:v3.11', name: 'ansible', ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.9.3-r0' }] }], versions: [], fixed: ['2.9.3-r0'], severity: [] },
      ],
    };
    expect(matchPackage({ ecosystem: 'Alpine:v3.11', name: 'ansible', version: '2.9.2-r0' }, [a])).toMatchObject([{ affected: 'yes' }]);
    expect(matchPackage({ ecosystem: 'Alpine:3.11', name: 'ansible', version: '2.9.2-r0' }, [a])).toMatchObject([{ affected: 'yes' }]);
    expect(matchPackage({ ecosystem: 'Alpine:v3.10', name: 'ansible', version: '2.9.2-r0' }, [a])).toEqual([]);
    expect(matchPackage({ ecosystem: 'Alpine:v3.11', name: 'ansible', version: '2.9.3-r0' }, [a])).toEqual([]);
    expect(matchPackage({ ecosystem: 'Alpine:v3.11', name: 'ansible-core', sourceName: 'ansible', version: '2.9.2-r0' }, [a])).toMatchObject([{ affected: 'yes' }]);
    expect(matchPackage({ ecosystem: 'Alpine', name: 'ansible', version: '2.9.2-r0' }, [a])).toMatchObject([{ affected: 'unknown' }]);
  });

  it('matches a real AlmaLinux errata with rpm ordering', () => {
    const [alsa] = load('almalinux/almalinux9/ALBA-2022:8256.json');
    expect(alsa).toBeDefined();
    expect(matchPackage({ ecosystem: 'AlmaLinux:9', name: 'qatzip', version: '1.0.7-1.el9' }, [alsa!])).toMatchObject([{ affected: 'yes', fixed: ['1.0.9-1.el9'] }]);
    expect(matchPackage({ ecosystem: 'AlmaLinux:9', name: 'qatzip', version: '1.0.9-1.el9' }, [alsa!])).toEqual([]);
  });
});
