import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkPredicate, openVexDocument, PREDICATE_TYPES, predicateTypeFor, type VexStatementInput } from './predicates.ts';

describe('checkPredicate', () => {
  it('checks the shape of a type whichever of its names chose it', () => {
    for (const name of ['sbom', 'cyclonedx', PREDICATE_TYPES.sbom]) {
      expect(() => checkPredicate(predicateTypeFor(name), { notABom: true })).toThrow(expect.objectContaining({ code: 'SBOM_INVALID' }));
    }
    for (const name of ['slsa', 'slsaprovenance', 'slsaprovenance1']) {
      expect(() => checkPredicate(predicateTypeFor(name), { builder: {} })).toThrow(/shape of its type/);
      expect(() => checkPredicate(predicateTypeFor(name), { buildDefinition: {}, runDetails: {} })).not.toThrow();
    }
    expect(() => checkPredicate(predicateTypeFor('vuln'), {})).toThrow(/shape of its type/);
    expect(() => checkPredicate(predicateTypeFor('openvex'), { '@context': 'https://openvex.dev/ns/v0.2.0', statements: [] })).not.toThrow();
  });

  it('needs a JSON object for any type, and checks no further what it does not know', () => {
    expect(() => checkPredicate('https://example.com/custom/v1', [])).toThrow(/JSON object/);
    expect(() => checkPredicate('https://example.com/custom/v1', null)).toThrow(/JSON object/);
    expect(() => checkPredicate('https://example.com/custom/v1', { anything: 1 })).not.toThrow();
  });
});

describe('openVexDocument', () => {
  // The bytes vuln/vex.ts writeOpenVex produced for this input before the scan's --vex-out moved onto this builder.
  const SCAN_FORM = `{
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://openvex.dev/docs/tollgate/33966aaa05efec3d04f7b6c4e6731a8518089865fe2efd73f08ef6ba10d8e6d2",
  "author": "test",
  "timestamp": "2026-01-01T00:00:00Z",
  "version": 1,
  "tooling": "tollgate reachability",
  "statements": [
    {
      "vulnerability": {
        "name": "CVE-2024-1",
        "aliases": [
          "DSA-9"
        ]
      },
      "products": [
        {
          "@id": "image@sha256:ab",
          "subcomponents": [
            {
              "@id": "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64"
            }
          ]
        }
      ],
      "status": "not_affected",
      "justification": "vulnerable_code_not_in_execute_path",
      "impact_statement": "not reached"
    }
  ]
}
`;
  const unreachable: VexStatementInput = {
    vulnerability: 'CVE-2024-1',
    aliases: ['DSA-9'],
    products: [{ id: 'image@sha256:ab', subcomponents: ['pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64'] }],
    status: 'not_affected',
    justification: 'vulnerable_code_not_in_execute_path',
    impactStatement: 'not reached',
  };

  it('writes the scan form (aliases, subcomponents, tooling, content-addressed @id) byte for byte', () => {
    const doc = openVexDocument({ author: 'test', timestamp: '2026-01-01T00:00:00Z', tooling: 'tollgate reachability', statements: [unreachable] });
    expect(`${JSON.stringify(doc, null, 2)}\n`).toBe(SCAN_FORM);
    const hash = createHash('sha256').update(JSON.stringify(doc['statements'])).digest('hex');
    expect(doc['@id']).toBe(`https://openvex.dev/docs/tollgate/${hash}`);
    // the id changes with the statements, not with author or time
    const other = openVexDocument({ author: 'x', timestamp: 't', statements: [unreachable] });
    expect(other['@id']).toBe(doc['@id']);
    expect(openVexDocument({ author: 'test', timestamp: 't', statements: [{ ...unreachable, impactStatement: 'other' }] })['@id']).not.toBe(doc['@id']);
    expect(Object.keys(other)).not.toContain('tooling');
  });

  it('writes the attest form as before: given @id, plain product ids, no aliases or tooling', () => {
    const one = openVexDocument({
      id: 'https://example.com/vex/1',
      author: 'me',
      timestamp: '2026-01-01T00:00:00Z',
      statements: [{ vulnerability: 'CVE-2024-1', products: ['pkg:oci/x'], status: 'not_affected', justification: 'component_not_present' }],
    });
    expect(JSON.stringify(one)).toBe(
      '{"@context":"https://openvex.dev/ns/v0.2.0","@id":"https://example.com/vex/1","author":"me","timestamp":"2026-01-01T00:00:00Z","version":1,"statements":[{"vulnerability":{"name":"CVE-2024-1"},"products":[{"@id":"pkg:oci/x"}],"status":"not_affected","justification":"component_not_present"}]}',
    );
    const many = openVexDocument({
      id: 'i',
      author: 'a',
      timestamp: 't',
      version: 3,
      statements: [
        { vulnerability: 'CVE-1', products: ['p1', 'p2'], status: 'affected', actionStatement: 'upgrade' },
        { vulnerability: 'CVE-2', products: [], status: 'fixed' },
        { vulnerability: 'CVE-3', products: ['p'], status: 'under_investigation', impactStatement: 'looking' },
        { vulnerability: 'CVE-4', products: ['p'], status: 'not_affected', impactStatement: 'nope', justification: 'inline_mitigations_already_exist' },
      ],
    });
    expect(JSON.stringify(many)).toBe(
      '{"@context":"https://openvex.dev/ns/v0.2.0","@id":"i","author":"a","timestamp":"t","version":3,"statements":[{"vulnerability":{"name":"CVE-1"},"products":[{"@id":"p1"},{"@id":"p2"}],"status":"affected","action_statement":"upgrade"},{"vulnerability":{"name":"CVE-2"},"products":[],"status":"fixed"},{"vulnerability":{"name":"CVE-3"},"products":[{"@id":"p"}],"status":"under_investigation","impact_statement":"looking"},{"vulnerability":{"name":"CVE-4"},"products":[{"@id":"p"}],"status":"not_affected","justification":"inline_mitigations_already_exist","impact_statement":"nope"}]}',
    );
    expect(() => checkPredicate(PREDICATE_TYPES.openvex, many)).not.toThrow();
  });

  it('writes aliases as given (an empty list too) and a product without subcomponents as its id alone', () => {
    const doc = openVexDocument({
      id: 'i',
      author: 'a',
      timestamp: 't',
      statements: [{ vulnerability: 'CVE-1', aliases: [], products: [{ id: 'p' }, 'q'], status: 'fixed' }],
    });
    expect(doc['statements']).toEqual([{ vulnerability: { name: 'CVE-1', aliases: [] }, products: [{ '@id': 'p' }, { '@id': 'q' }], status: 'fixed' }]);
  });

  it('validates statements in either form (VEX_INVALID)', () => {
    const bad = (s: Partial<VexStatementInput>): (() => unknown) => () => openVexDocument({ author: 'a', timestamp: 't', statements: [{ ...unreachable, ...s }] });
    expect(bad({ justification: 'not_a_justification' })).toThrow(expect.objectContaining({ code: 'VEX_INVALID' }));
    const { justification: _j, impactStatement: _i, ...bare } = unreachable;
    expect(() => openVexDocument({ author: 'a', timestamp: 't', statements: [bare] })).toThrow(expect.objectContaining({ code: 'VEX_INVALID' }));
    expect(bad({ status: 'affected' })).toThrow(expect.objectContaining({ code: 'VEX_INVALID' }));
    expect(bad({ status: 'affected', actionStatement: 'upgrade curl' })).not.toThrow();
  });
});
