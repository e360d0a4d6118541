import { describe, expect, it } from 'vitest';
import { parseVex, suppressingStatement } from './vex.ts';

describe('VEX', () => {
  it('reads the OpenVEX scan --vex-out writes and suppresses by vulnerability + subcomponent purl (qualifiers ignored)', () => {
    // The document `scan --vex-out` writes (src/trust openVexDocument; its bytes are pinned in src/trust/predicates.test.ts).
    const doc = {
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': 'https://openvex.dev/docs/tollgate/33966aaa05efec3d04f7b6c4e6731a8518089865fe2efd73f08ef6ba10d8e6d2',
      author: 'test',
      timestamp: '2026-01-01T00:00:00Z',
      version: 1,
      tooling: 'tollgate reachability',
      statements: [
        {
          vulnerability: { name: 'CVE-2024-1', aliases: ['DSA-9'] },
          products: [{ '@id': 'image@sha256:ab', subcomponents: [{ '@id': 'pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64' }] }],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
          impact_statement: 'not reached',
        },
      ],
    };
    const statements = parseVex(doc, 'x.json') ?? [];
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' });
    expect(suppressingStatement({ ids: ['DSA-9'], purl: 'pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12', packageId: 'x' }, statements)).toBeDefined();
    expect(suppressingStatement({ ids: ['CVE-2024-1'], purl: 'pkg:deb/debian/libcurl4@7.88.1-10%2Bdeb12u5', packageId: 'y' }, statements)).toBeUndefined();
  });

  it('reads CycloneDX VEX (analysis.state, affects by bom-ref → purl); affected/in_triage do not suppress', () => {
    const cdx = {
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      components: [{ 'bom-ref': 'c1', name: 'lodash', purl: 'pkg:npm/lodash@4.17.20' }],
      vulnerabilities: [
        { id: 'CVE-2021-23337', analysis: { state: 'not_affected', justification: 'code_not_reachable' }, affects: [{ ref: 'c1' }] },
        { id: 'CVE-2020-8203', analysis: { state: 'exploitable' }, affects: [{ ref: 'c1' }] },
      ],
    };
    const statements = parseVex(cdx, 'vex.cdx.json') ?? [];
    expect(statements.map((s) => s.status)).toEqual(['not_affected', 'affected']);
    expect(suppressingStatement({ ids: ['CVE-2021-23337', 'GHSA-35jh-r3h4-6jhm'], purl: 'pkg:npm/lodash@4.17.20', packageId: 'p' }, statements)?.origin).toContain('CycloneDX');
    expect(suppressingStatement({ ids: ['CVE-2020-8203'], purl: 'pkg:npm/lodash@4.17.20', packageId: 'p' }, statements)).toBeUndefined();
    expect(parseVex({ hello: 1 }, 'x')).toBeUndefined();
  });
});
