import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cvssCalculator from 'ae-cvss-calculator';
import { describe, expect, it } from 'vitest';
import { cvss3BaseScore, cvss4BaseScore, levelOfScore, pickRating, rate } from './severity.ts';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/osv/', import.meta.url));

function vectorsIn(dir: string, re: RegExp, out: Set<string>): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) vectorsIn(path, re, out);
    else if (/\.(json|ya?ml)$/.test(name)) for (const m of readFileSync(path, 'utf8').matchAll(re)) out.add(m[0]);
  }
}

describe('CVSS v3.x base score (FIRST spec) ', () => {
  it('matches the specification examples', () => {
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBe(9.8);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H')).toBe(10);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N')).toBe(6.1);
    expect(cvss3BaseScore('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H')).toBe(7.8);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N')).toBe(0);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H')).toBeUndefined();
    expect(cvss3BaseScore('CVSS:2.0/AV:N')).toBeUndefined();
  });

  it('agrees with an independent implementation (ae-cvss-calculator) on every v3 vector in the OSV corpus', () => {
    const vectors = new Set<string>();
    vectorsIn(CORPUS, /CVSS:3\.[01]\/[A-Z:/]+/g, vectors);
    expect(vectors.size).toBeGreaterThan(100);
    const differ: string[] = [];
    for (const v of vectors) {
      const ours = cvss3BaseScore(v);
      let theirs: number | undefined;
      try {
        const calc = v.startsWith('CVSS:3.1') ? new cvssCalculator.Cvss3P1(v) : new cvssCalculator.Cvss3P0(v);
        theirs = calc.calculateScores().base;
      } catch (cause) {
        void cause; // an invalid vector: ours must refuse it too
        theirs = undefined;
      }
      if (ours !== theirs) differ.push(`${v}: ${String(ours)} vs ${String(theirs)}`);
    }
    expect(differ).toEqual([]);
  });

  it('v4 via ae-cvss-calculator; ratings carry their source; v3 is preferred', () => {
    expect(cvss4BaseScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toBe(9.3);
    expect(levelOfScore(9.3)).toBe('critical');
    const r3 = rate({ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N', source: 'osv' }, 'GHSA-x');
    expect(r3).toMatchObject({ level: 'medium', score: 5.9, source: 'GHSA-x (osv)' });
    const word = rate({ type: 'ecosystem', score: 'Important', source: 'database_specific' }, 'ALSA-1');
    expect(word.level).toBe('high');
    expect(pickRating([word, r3])?.type).toBe('CVSS_V3');
    expect(rate({ type: 'CVSS_V4', score: 'CVSS:4.0/garbage', source: 'osv' }).level).toBe('unknown');
  });
});
