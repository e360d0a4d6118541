import { describe, expect, it } from 'vitest';
import { checkPredicate, PREDICATE_TYPES, predicateTypeFor } from './predicates.ts';

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
