import { describe, expect, it } from 'vitest';
import { makeStatement, parseStatement, statementCoversDigest, STATEMENT_V1 } from './in-toto.ts';
import { cosignVulnPredicate, cycloneDxPredicate, openVexDocument, PREDICATE_TYPES, predicateTypeFor, slsaProvenanceV1 } from './predicates.ts';

const HEX = 'a'.repeat(64);

describe('trust/in-toto', () => {
  it('builds a v1 statement and reads it back', () => {
    const st = makeStatement([{ name: 'img', digest: { sha256: HEX } }], PREDICATE_TYPES.slsa, { a: 1 });
    expect(st._type).toBe(STATEMENT_V1);
    const back = parseStatement(Buffer.from(JSON.stringify(st)));
    expect(back.subject).toEqual([{ name: 'img', digest: { sha256: HEX } }]);
    expect(statementCoversDigest(back, `sha256:${HEX}`)).toBe(true);
    expect(statementCoversDigest(back, `sha256:${'b'.repeat(64)}`)).toBe(false);
    expect(statementCoversDigest(back, HEX)).toBe(false);
  });

  it('refuses subjects without good digests', () => {
    expect(() => makeStatement([], 'x', {})).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => makeStatement([{ name: 'x', digest: { sha256: 'ABC' } }], 't', {})).toThrow(expect.objectContaining({ code: 'DIGEST_INVALID' }));
    expect(() => makeStatement([{ name: 'x', digest: {} }], 't', {})).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('rejects unknown statement types and non-JSON', () => {
    expect(() => parseStatement(Buffer.from('{"_type":"x","subject":[],"predicateType":"p"}'))).toThrow(expect.objectContaining({ code: 'PROVENANCE_INVALID' }));
    expect(() => parseStatement(Buffer.from('nope'))).toThrow(expect.objectContaining({ code: 'PROVENANCE_INVALID' }));
  });
});

describe('trust/predicates', () => {
  it('maps cosign --type names to predicate types', () => {
    expect(predicateTypeFor('slsaprovenance1')).toBe('https://slsa.dev/provenance/v1');
    expect(predicateTypeFor('cyclonedx')).toBe('https://cyclonedx.org/bom');
    expect(predicateTypeFor('vuln')).toBe('https://cosign.sigstore.dev/attestation/vuln/v1');
    expect(predicateTypeFor('openvex')).toBe('https://openvex.dev/ns');
    expect(() => predicateTypeFor('nope')).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('builds SLSA v1 provenance with buildDefinition and runDetails', () => {
    const p = slsaProvenanceV1({
      buildType: 'https://tollgate.dev/build/v1',
      builderId: 'https://github.com/org/repo/.github/workflows/b.yml@refs/heads/main',
      externalParameters: { repository: 'https://github.com/org/repo', ref: 'refs/heads/main' },
      resolvedDependencies: [{ uri: 'git+https://github.com/org/repo@refs/heads/main', digest: { gitCommit: 'c'.repeat(40) } }],
      invocationId: 'run-1',
    });
    expect(p.buildDefinition.buildType).toBe('https://tollgate.dev/build/v1');
    expect(p.runDetails.builder.id).toContain('b.yml');
    expect(p.runDetails.metadata).toEqual({ invocationId: 'run-1' });
    expect(p.buildDefinition.resolvedDependencies).toHaveLength(1);
  });

  it('checks CycloneDX, cosign vuln and OpenVEX shapes', () => {
    expect(() => cycloneDxPredicate({ bomFormat: 'SPDX' })).toThrow(expect.objectContaining({ code: 'SBOM_INVALID' }));
    expect(cycloneDxPredicate({ bomFormat: 'CycloneDX', specVersion: '1.6' })['specVersion']).toBe('1.6');
    const vuln = cosignVulnPredicate({ scanner: { uri: 'pkg:npm/tollgate', version: '0.1.0' }, result: {}, scanStartedOn: 't0', scanFinishedOn: 't1' });
    expect(Object.keys(vuln).sort()).toEqual(['invocation', 'metadata', 'scanner']);
    const vex = openVexDocument({
      id: 'https://example.com/vex/1',
      author: 'me',
      timestamp: '2026-01-01T00:00:00Z',
      statements: [{ vulnerability: 'CVE-2024-1', products: ['pkg:oci/x'], status: 'not_affected', justification: 'component_not_present' }],
    });
    expect(vex['@context']).toBe('https://openvex.dev/ns/v0.2.0');
    expect(() =>
      openVexDocument({ id: 'i', author: 'a', timestamp: 't', statements: [{ vulnerability: 'c', products: [], status: 'not_affected' }] }),
    ).toThrow(expect.objectContaining({ code: 'VEX_INVALID' }));
  });
});
