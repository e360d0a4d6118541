import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.ts';
import { makeVersioningServices } from './versioning.ts';

describe('versioning services', () => {
  const services = makeVersioningServices();

  it('compares like the ecosystem tool', () => {
    expect(services.compareVersions('Debian:12', '1.0~rc1', '1.0')).toBe(-1);
    expect(services.compareVersions('PyPI', '1.0.post1', '1.0')).toBe(1);
    expect(services.compareVersions('maven', '1.0', '1.0.0')).toBe(0);
  });

  it('fails with VERSION_INVALID on an unparseable version', () => {
    try {
      services.compareVersions('npm', '1.2', '1.2.3');
      expect.unreachable();
    } catch (error) {
      expect(isAppError(error, 'VERSION_INVALID')).toBe(true);
    }
  });

  it('fails with ECOSYSTEM_UNKNOWN on an unknown ecosystem', () => {
    expect(() => services.compareVersions('Nope', '1', '2')).toThrowError(expect.objectContaining({ code: 'ECOSYSTEM_UNKNOWN' }));
  });

  it('answers one result per stdin line, refusing bad lines individually', () => {
    const results = services.compareVersionLines('Debian', '1.0 2.0\n2.0 2.0\n! 1.0\nonly-one\n3.0 2.0\n');
    expect(results.map((r) => (r.ok ? r.order : r.code))).toEqual([-1, 0, 'VERSION_INVALID', 'VERSION_INVALID', 1]);
    expect(results[2]).toMatchObject({ ok: false, line: 3 });
  });

  it('lists every scheme', () => {
    expect(services.listSchemes().map((s) => s.id)).toContain('pep440');
  });
});
