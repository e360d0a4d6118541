import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { osvFeed } from './index.ts';

const CORPUS = fileURLToPath(new URL('../../../../../shared/corpus/osv/', import.meta.url));
const read = (p: string): unknown => JSON.parse(readFileSync(`${CORPUS}${p}`, 'utf8'));

describe('osv feed', () => {
  it('normalises a Go record: SEMVER ranges, aliases, fixed versions', () => {
    const doc = read('go-vulndb/GO-2020-0001.json');
    expect(osvFeed.accepts(doc)).toBe(true);
    const item = osvFeed.normalise(doc);
    expect(item.kind).toBe('advisories');
    if (item.kind !== 'advisories') return;
    const [a] = item.advisories;
    expect(a?.id).toBe('GO-2020-0001');
    expect(a?.aliases).toEqual(expect.arrayContaining(['CVE-2020-36567', 'GHSA-6vm3-jj99-7229']));
    expect(a?.affected[0]).toMatchObject({ ecosystem: 'Go', name: 'github.com/gin-gonic/gin', fixed: ['1.6.0'] });
  });

  it('derives related CVEs of a distro errata from its references', () => {
    const item = osvFeed.normalise({
      id: 'ALSA-2022:1',
      modified: '2022-01-01T00:00:00Z',
      references: [{ type: 'REPORT', url: 'https://access.redhat.com/security/cve/CVE-2022-36369' }],
      affected: [{ package: { ecosystem: 'AlmaLinux:9', name: 'qatzip' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0.9-1.el9' }] }] }],
    });
    expect(item).toMatchObject({ kind: 'advisories', advisories: [{ related: ['CVE-2022-36369'], affected: [{ fixed: ['1.0.9-1.el9'] }] }] });
  });

  it('keeps CVSS vectors and ecosystem severities with their source, and the withdrawn date', () => {
    const item = osvFeed.normalise({
      id: 'GHSA-xxxx-xxxx-xxxx',
      modified: '2024-01-01T00:00:00Z',
      withdrawn: '2024-02-01T00:00:00Z',
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      database_specific: { severity: 'CRITICAL' },
      affected: [{ package: { ecosystem: 'npm', name: 'x' }, ecosystem_specific: { severity: 'HIGH' }, versions: ['1.0.0'] }],
    });
    expect(item).toMatchObject({
      kind: 'advisories',
      advisories: [
        {
          withdrawn: '2024-02-01T00:00:00Z',
          severity: [
            { type: 'CVSS_V3', source: 'osv' },
            { type: 'ecosystem', score: 'CRITICAL', source: 'database_specific' },
          ],
          affected: [{ versions: ['1.0.0'], severity: [{ score: 'HIGH', source: 'ecosystem_specific' }] }],
        },
      ],
    });
  });

  it('does not accept documents without an id', () => {
    expect(osvFeed.accepts({ affected: [] })).toBe(false);
  });
});
