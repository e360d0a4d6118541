import { err, ok } from '../../../core/result.ts';
import type { Ordering, VersionScheme } from '../../scheme.ts';
import { compareDigits, compareText } from '../../_shared/numeric.ts';

/** The PEP 440 grammar (Appendix B), case-insensitive, with surrounding whitespace allowed. */
const PEP440 = new RegExp(
  '^\\s*v?' +
    '(?:([0-9]+)!)?' + // epoch
    '([0-9]+(?:\\.[0-9]+)*)' + // release
    '(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?([0-9]+)?)?' + // pre
    '(?:-([0-9]+)|[-_.]?(post|rev|r)[-_.]?([0-9]+)?)?' + // post
    '(?:[-_.]?(dev)[-_.]?([0-9]+)?)?' + // dev
    '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?' + // local
    '\\s*$',
  'i',
);

const PRE_LABEL: Readonly<Record<string, string>> = Object.freeze({
  a: 'a', alpha: 'a', b: 'b', beta: 'b', c: 'rc', rc: 'rc', pre: 'rc', preview: 'rc',
});

export interface Pep440Version {
  readonly kind: 'pep440';
  readonly epoch: string;
  /** Release numbers with trailing zeros removed (1.0 == 1.0.0). */
  readonly release: readonly string[];
  readonly pre: { readonly label: string; readonly n: string } | undefined;
  readonly post: string | undefined;
  readonly dev: string | undefined;
  readonly local: readonly string[] | undefined;
}

/** A pre-PEP 440 string ordered like setuptools/packaging's LegacyVersion (always before PEP 440). */
export interface LegacyVersion {
  readonly kind: 'legacy';
  readonly parts: readonly string[];
}

export type PypiVersion = Pep440Version | LegacyVersion;

function parsePep440(text: string): Pep440Version | undefined {
  const m = PEP440.exec(text);
  if (m === null) return undefined;
  const release = (m[2] ?? '0').split('.');
  while (release.length > 1 && /^0+$/.test(release[release.length - 1] ?? '')) release.pop();
  const preLabel = m[3]?.toLowerCase();
  return {
    kind: 'pep440',
    epoch: m[1] ?? '0',
    release,
    pre: preLabel === undefined ? undefined : { label: PRE_LABEL[preLabel] ?? preLabel, n: m[4] ?? '0' },
    post: m[5] ?? (m[6] === undefined ? undefined : (m[7] ?? '0')),
    dev: m[8] === undefined ? undefined : (m[9] ?? '0'),
    local: m[10] === undefined ? undefined : m[10].toLowerCase().split(/[-_.]/),
  };
}

const LEGACY_REPLACE: Readonly<Record<string, string>> = Object.freeze({
  pre: 'c', preview: 'c', '-': 'final-', rc: 'c', dev: '@',
});

/** packaging < 22's LegacyVersion key: zero-padded numbers, '*'-prefixed words, '*final' end. */
function parseLegacy(text: string): LegacyVersion {
  const parts: string[] = [];
  const pieces = text.toLowerCase().split(/([0-9]+|[a-z]+|\.|-)/);
  const mapped: string[] = [];
  for (const raw of pieces) {
    const piece = LEGACY_REPLACE[raw] ?? raw;
    if (piece === '' || piece === '.') continue;
    mapped.push(/^[0-9]/.test(piece) ? piece.padStart(8, '0') : `*${piece}`);
  }
  mapped.push('*final');
  for (const part of mapped) {
    if (part.startsWith('*')) {
      if (part < '*final') while (parts[parts.length - 1] === '*final-') parts.pop();
      while (parts[parts.length - 1] === '00000000') parts.pop();
    }
    parts.push(part);
  }
  return { kind: 'legacy', parts };
}

const PRE_ORDER: Readonly<Record<string, number>> = Object.freeze({ a: 0, b: 1, rc: 2 });

function compareNumberLists(a: readonly string[], b: readonly string[]): Ordering {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const c = compareDigits(a[i] ?? '0', b[i] ?? '0');
    if (c !== 0) return c;
  }
  return 0;
}

/** Sort keys with PEP 440's rules: a dev-only release sorts before its pre-releases, etc. */
function comparePep440(a: Pep440Version, b: Pep440Version): Ordering {
  const e = compareDigits(a.epoch, b.epoch) || compareNumberLists(a.release, b.release);
  if (e !== 0) return e;
  // pre: dev-only (no pre, no post) → -inf; no pre → +inf
  const preKey = (v: Pep440Version): [number, number, string] =>
    v.pre !== undefined
      ? [0, PRE_ORDER[v.pre.label] ?? 0, v.pre.n]
      : v.post === undefined && v.dev !== undefined
        ? [-1, 0, '0']
        : [1, 0, '0'];
  const [ap, al, an] = preKey(a);
  const [bp, bl, bn] = preKey(b);
  if (ap !== bp) return ap < bp ? -1 : 1;
  if (al !== bl) return al < bl ? -1 : 1;
  const pn = compareDigits(an, bn);
  if (pn !== 0) return pn;
  // post: none → -inf
  if (a.post !== b.post) {
    if (a.post === undefined) return -1;
    if (b.post === undefined) return 1;
    const c = compareDigits(a.post, b.post);
    if (c !== 0) return c;
  }
  // dev: none → +inf
  if (a.dev !== b.dev) {
    if (a.dev === undefined) return 1;
    if (b.dev === undefined) return -1;
    const c = compareDigits(a.dev, b.dev);
    if (c !== 0) return c;
  }
  // local: none → -inf; numeric segments > alphanumeric; alphanumerics lexicographic
  if (a.local === undefined || b.local === undefined) {
    return a.local === b.local ? 0 : a.local === undefined ? -1 : 1;
  }
  for (let i = 0; i < Math.max(a.local.length, b.local.length); i++) {
    const x = a.local[i];
    const y = b.local[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = /^[0-9]+$/.test(x);
    const yn = /^[0-9]+$/.test(y);
    const c = xn && yn ? compareDigits(x, y) : xn ? 1 : yn ? -1 : compareText(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * Python package versions per PEP 440 (packaging.version), with epochs, pre/post/dev releases,
 * local versions and the spelling normalisations. Strings that are not PEP 440 are read as
 * packaging's LegacyVersion (as pip < 22 did and OSV's PyPI records still need) and sort
 * before every PEP 440 version; only empty or whitespace-containing input is refused.
 */
export const pep440 = {
  id: 'pep440',
  specUrl: 'https://packaging.python.org/en/latest/specifications/version-specifiers/',

  parse(input) {
    const strict = parsePep440(input);
    if (strict !== undefined) return ok(strict);
    const text = input.trim();
    if (text === '' || /\s/.test(text)) return err({ input, reason: 'empty or contains whitespace' });
    return ok(parseLegacy(text));
  },

  compare(a, b) {
    if (a.kind === 'legacy' || b.kind === 'legacy') {
      if (a.kind !== 'legacy') return 1;
      if (b.kind !== 'legacy') return -1;
      for (let i = 0; i < Math.max(a.parts.length, b.parts.length); i++) {
        const x = a.parts[i];
        const y = b.parts[i];
        if (x === undefined) return -1;
        if (y === undefined) return 1;
        const c = compareText(x, y);
        if (c !== 0) return c;
      }
      return 0;
    }
    return comparePep440(a, b);
  },
} as const satisfies VersionScheme<PypiVersion>;
