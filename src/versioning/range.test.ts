import { describe, expect, it } from 'vitest';
import { isAffected, isInRange, type OsvEvent } from './range.ts';
import { SCHEMES } from './registry.ts';

const deb = SCHEMES['deb']!;
const npm = SCHEMES['npm']!;
const pep440 = SCHEMES['pep440']!;
const go = SCHEMES['go']!;

const eco = (events: OsvEvent[]) => ({ ranges: [{ type: 'ECOSYSTEM', events }] });

describe('OSV range membership', () => {
  it.each`
    version              | events                                                   | expected
    ${'1.0-1'}           | ${[{ introduced: '0' }, { fixed: '1.2-1' }]}             | ${'yes'}
    ${'1.2-1'}           | ${[{ introduced: '0' }, { fixed: '1.2-1' }]}             | ${'no'}
    ${'1.2-1~deb12u1'}   | ${[{ introduced: '0' }, { fixed: '1.2-1' }]}             | ${'yes'}
    ${'0.9'}             | ${[{ introduced: '1.0' }, { fixed: '2.0' }]}             | ${'no'}
    ${'1.0'}             | ${[{ introduced: '1.0' }, { fixed: '2.0' }]}             | ${'yes'}
    ${'2.0'}             | ${[{ introduced: '1.0' }, { last_affected: '2.0' }]}     | ${'yes'}
    ${'2.0.1'}           | ${[{ introduced: '1.0' }, { last_affected: '2.0' }]}     | ${'no'}
    ${'3.5'}             | ${[{ introduced: '1.0' }, { fixed: '2.0' }, { introduced: '3.0' }, { fixed: '4.0' }]} | ${'yes'}
    ${'2.5'}             | ${[{ introduced: '1.0' }, { fixed: '2.0' }, { introduced: '3.0' }, { fixed: '4.0' }]} | ${'no'}
    ${'5.0'}             | ${[{ introduced: '3.0' }]}                               | ${'yes'}
    ${'not a version'}   | ${[{ introduced: '0' }, { fixed: '1.2-1' }]}             | ${'unknown'}
    ${'1.0'}             | ${[{ introduced: '0' }, { fixed: 'bad version' }]}       | ${'unknown'}
  `('deb $version in $events → $expected', ({ version, events, expected }: { version: string; events: OsvEvent[]; expected: string }) => {
    expect(isAffected(deb, version, eco(events))).toBe(expected);
  });

  it('applies limit events as an upper cap', () => {
    const target = npm.parse('2.5.0');
    expect(target.ok).toBe(true);
    if (!target.ok) return;
    expect(isInRange(npm, target.value, [{ introduced: '0' }, { limit: '2.0.0' }])).toBe('no');
    expect(isInRange(npm, target.value, [{ introduced: '0' }, { limit: '3.0.0' }])).toBe('yes');
    expect(isInRange(npm, target.value, [{ introduced: '0' }, { limit: '*' }])).toBe('yes');
  });

  it('uses the versions list, comparing by the scheme', () => {
    expect(isAffected(pep440, '1.0.0', { versions: ['0.9', '1.0'] })).toBe('yes');
    expect(isAffected(pep440, '1.1', { versions: ['0.9', '1.0'] })).toBe('no');
  });

  it('answers unknown when only GIT ranges are given, never no', () => {
    const affected = { ranges: [{ type: 'GIT', events: [{ introduced: '0' }, { fixed: 'abc123' }] }] };
    expect(isAffected(go, '1.0.0', affected)).toBe('unknown');
    expect(isAffected(go, '1.0.0', {})).toBe('unknown');
  });

  it('says yes when one range contains the version even if another cannot be read', () => {
    const affected = {
      ranges: [
        { type: 'SEMVER', events: [{ introduced: 'garbage' }] },
        { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.0' }] },
      ],
    };
    expect(isAffected(go, 'v1.1.0', affected)).toBe('yes');
    expect(isAffected(go, 'v1.3.0', affected)).toBe('unknown');
  });

  it('handles Go pseudo-versions inside SEMVER ranges', () => {
    const affected = { ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '0.17.0' }] }] };
    expect(isAffected(go, 'v0.0.0-20220722155237-a158d28d115b', affected)).toBe('yes');
    expect(isAffected(go, 'v0.17.1-0.20230101000000-abcdefabcdef', affected)).toBe('no');
  });
});
