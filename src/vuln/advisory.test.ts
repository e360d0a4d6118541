import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAffectedPacked } from '../versioning/range.ts';
import { schemeForEcosystem } from '../versioning/registry.ts';
import { forMatching, packAffected, type Advisory } from './advisory.ts';
import { normaliseDocument } from './registry.ts';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/osv/', import.meta.url));

function load(path: string): Advisory[] {
  const item = normaliseDocument(JSON.parse(readFileSync(`${CORPUS}${path}`, 'utf8')));
  if (item.kind !== 'advisories') throw new Error(`not advisories: ${path}`);
  return [...item.advisories];
}

describe('forMatching (the stored matching form of an entry)', () => {
  it('drops only listed versions the ranges contain, and answers every version as the full entry does', () => {
    const folder = 'pypa-advisory-db-json';
    const files = readdirSync(`${CORPUS}${folder}`).filter((f) => f.endsWith('.json')).sort().slice(0, 400);
    expect(files.length).toBeGreaterThan(100);
    let listed = 0;
    let dropped = 0;
    let checked = 0;
    const scheme = schemeForEcosystem('PyPI');
    if (scheme === undefined) throw new Error('no PyPI scheme');
    for (const file of files) {
      for (const advisory of load(`${folder}/${file}`)) {
        for (const entry of advisory.affected) {
          const packed = packAffected(0, entry);
          const pruned = forMatching(packed);
          listed += packed[4].length;
          dropped += packed[4].length - pruned[4].length;
          expect(pruned[4].every((v) => packed[4].includes(v))).toBe(true);
          // every listed version, each event version, and neighbours that spell versions differently
          const probes = new Set<string>([...packed[4], ...packed[3].flatMap((r) => r.filter((_, i) => i > 0 && i % 2 === 0)), '0.0.1', '99.0', '1.0.0.0']);
          for (const v of [...probes]) probes.add(`${v}.0`);
          for (const text of probes) {
            const target = scheme.parse(text);
            if (!target.ok) continue;
            const full = isAffectedPacked(scheme, target.value, packed[3], packed[4], text);
            const slim = isAffectedPacked(scheme, target.value, pruned[3], pruned[4], text);
            expect(slim, `${advisory.id} ${text}`).toBe(full);
            checked++;
          }
        }
      }
    }
    // the corpus's PyPI records list their versions: most of them are inside the ranges
    expect(listed).toBeGreaterThan(1000);
    expect(dropped).toBeGreaterThan(listed * 0.9);
    expect(checked).toBeGreaterThan(5000);
  });

  it('keeps a listed version the ranges do not contain and one that does not parse', () => {
    const entry = packAffected(1, {
      ecosystem: 'PyPI',
      name: 'x',
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { fixed: '2.0' }] }],
      versions: ['1.0', '1.5', '3.0', 'not a version!'],
      fixed: ['2.0'],
      severity: [],
    });
    expect(forMatching(entry)[4]).toEqual(['3.0', 'not a version!']);
    // nothing evaluable (GIT ranges only): every listed version stays
    const git = packAffected(1, { ecosystem: 'PyPI', name: 'x', ranges: [{ type: 'GIT', events: [{ introduced: 'abc' }] }], versions: ['1.0'], fixed: [], severity: [] });
    expect(forMatching(git)).toBe(git);
  });
});
