import { err, ok } from '../../../core/result.ts';
import type { Ordering, VersionScheme } from '../../scheme.ts';
import { compareDigits, compareText, isDigit } from '../../_shared/numeric.ts';

/** One token of a Maven version: its separator ('.' or '-') and a number or a qualifier. */
export interface MavenToken {
  readonly prefix: '.' | '-';
  readonly number?: string;
  readonly qualifier?: string;
}

const QUALIFIER_ORDER: Readonly<Record<string, number>> = Object.freeze({
  alpha: 0,
  beta: 1,
  milestone: 2,
  rc: 3,
  snapshot: 4,
  '': 5,
  sp: 6,
});
const ALIASES: Readonly<Record<string, string>> = Object.freeze({ cr: 'rc', ga: '', final: '', release: '' });
const SHORT: Readonly<Record<string, string>> = Object.freeze({ a: 'alpha', b: 'beta', m: 'milestone' });

function isNull(t: MavenToken): boolean {
  return t.number !== undefined ? /^0+$/.test(t.number) : t.qualifier === '';
}

/** Splits at '.', '-' and digit/letter transitions (a transition counts as '-'); empty → 0. */
function tokenize(version: string): MavenToken[] {
  const text = version.toLowerCase();
  const tokens: MavenToken[] = [];
  let prefix: '.' | '-' = '.';
  let current = '';
  const push = (nextChar: string | undefined): void => {
    if (current === '') {
      tokens.push({ prefix, number: '0' });
    } else if (/^[0-9]+$/.test(current)) {
      tokens.push({ prefix, number: current });
    } else {
      const short = isDigit(nextChar) ? SHORT[current] : undefined;
      const q = short ?? current;
      tokens.push({ prefix, qualifier: ALIASES[q] ?? q });
    }
    current = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '.' || c === '-') {
      push(text[i + 1]);
      prefix = c;
      continue;
    }
    if (current !== '' && isDigit(c) !== isDigit(current[current.length - 1])) {
      push(c);
      prefix = '-';
    }
    current += c;
  }
  push(undefined);
  return tokens;
}

/** Trims trailing nulls, then the nulls just before each remaining '-' (end to start). */
function normalize(tokens: MavenToken[]): MavenToken[] {
  const out = [...tokens];
  while (out.length > 1 && isNull(out[out.length - 1] as MavenToken)) out.pop();
  for (let i = out.length - 1; i > 0; i--) {
    if (out[i]?.prefix !== '-') continue;
    while (i > 1 && isNull(out[i - 1] as MavenToken)) {
      out.splice(i - 1, 1);
      i--;
    }
  }
  return out;
}

function compareQualifiers(a: string, b: string): Ordering {
  const x = QUALIFIER_ORDER[a];
  const y = QUALIFIER_ORDER[b];
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  if (x !== undefined) return -1;
  if (y !== undefined) return 1;
  return compareText(a, b);
}

/** .qualifier = -qualifier < -number < .number; same kinds compare by value. */
function rank(t: MavenToken): number {
  if (t.qualifier !== undefined) return 0;
  return t.prefix === '-' ? 1 : 2;
}

function compareTokens(a: MavenToken, b: MavenToken): Ordering {
  if (a.qualifier !== undefined && b.qualifier !== undefined) return compareQualifiers(a.qualifier, b.qualifier);
  if (a.number !== undefined && b.number !== undefined && a.prefix === b.prefix) return compareDigits(a.number, b.number);
  const x = rank(a);
  const y = rank(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** What an exhausted side compares as ("null" in ComparableVersion): 0 against a number, "" against a qualifier. */
function padFor(other: MavenToken): MavenToken {
  return other.number !== undefined ? { prefix: other.prefix, number: '0' } : { prefix: other.prefix, qualifier: '' };
}

/**
 * Maven versions by the POM reference's Version Order Specification (ComparableVersion):
 * tokens and separators, alpha < beta < milestone < rc = cr < snapshot < "" = ga = final =
 * release < sp < other qualifiers (alphabetically), trailing nulls trimmed, padding by prefix.
 * Maven accepts any string; we refuse only empty or whitespace-containing input.
 */
export const maven = {
  id: 'maven',
  specUrl: 'https://maven.apache.org/pom.html#version-order-specification',

  parse(input) {
    const text = input.trim();
    if (text === '' || /\s/.test(text)) return err({ input, reason: 'empty or contains whitespace' });
    return ok(normalize(tokenize(text)));
  },

  compare(a, b) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const x = a[i];
      const y = b[i];
      const c = compareTokens(x ?? padFor(y as MavenToken), y ?? padFor(x as MavenToken));
      if (c !== 0) return c;
    }
    return 0;
  },
} as const satisfies VersionScheme<readonly MavenToken[]>;
