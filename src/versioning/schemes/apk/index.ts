import { err, ok } from '../../../core/result.ts';
import type { Ordering, VersionScheme } from '../../scheme.ts';
import { compareDigits, compareText, isDigit } from '../../_shared/numeric.ts';

/**
 * Alpine versions: digit{.digit}…{letter}{_suffix{N}}…{~hash}{-rN}. Token kinds are ordered:
 * when two versions agree up to the point where one has a different kind of token, the one
 * whose next token is "earlier" in this list is the greater (it has more version components),
 * and an invalid tail sorts lowest of all.
 */
const T = {
  initialDigit: 0,
  digit: 1,
  letter: 2,
  suffix: 3,
  suffixNo: 4,
  commitHash: 5,
  revisionNo: 6,
  end: 7,
  invalid: 8,
} as const;
type TokenKind = (typeof T)[keyof typeof T];

/** Suffix weights; NONE (5) is the pivot: alpha…rc sort before a plain release, cvs…p after. */
const SUFFIX_WEIGHT: Readonly<Record<string, number>> = Object.freeze({
  alpha: 1,
  beta: 2,
  pre: 3,
  rc: 4,
  cvs: 6,
  svn: 7,
  git: 8,
  hg: 9,
  p: 10,
});
const SUFFIX_NONE = 5;

interface Token {
  kind: TokenKind;
  text: string;
  suffix: number;
}

interface Cursor {
  readonly s: string;
  pos: number;
}

function takeWhile(cur: Cursor, test: (c: string) => boolean): string {
  const start = cur.pos;
  while (cur.pos < cur.s.length && test(cur.s[cur.pos] ?? '')) cur.pos++;
  return cur.s.slice(start, cur.pos);
}

function readDigits(t: Token, cur: Cursor): void {
  t.text = takeWhile(cur, isDigit);
  if (t.text === '') t.kind = T.invalid;
}

function first(cur: Cursor): Token {
  const t: Token = { kind: T.initialDigit, text: '', suffix: 0 };
  readDigits(t, cur);
  return t;
}

const isLower = (c: string): boolean => c >= 'a' && c <= 'z';
const isHex = (c: string): boolean => isDigit(c) || (c >= 'a' && c <= 'f');

/** Reads the next token, checking that it may follow the previous one. */
function next(t: Token, cur: Cursor): void {
  const c = cur.s[cur.pos];
  if (c === undefined) {
    t.kind = T.end;
    return;
  }
  if (isLower(c)) {
    if (t.kind > T.digit) return void (t.kind = T.invalid);
    t.text = c;
    t.kind = T.letter;
    cur.pos++;
    return;
  }
  if (c === '.' || isDigit(c)) {
    if (c === '.') {
      if (t.kind > T.digit) return void (t.kind = T.invalid);
      cur.pos++;
    }
    if (t.kind === T.initialDigit || t.kind === T.digit) t.kind = T.digit;
    else if (t.kind === T.suffix) t.kind = T.suffixNo;
    else return void (t.kind = T.invalid);
    readDigits(t, cur);
    return;
  }
  if (c === '_') {
    if (t.kind > T.suffixNo) return void (t.kind = T.invalid);
    cur.pos++;
    t.text = takeWhile(cur, isLower);
    const weight = SUFFIX_WEIGHT[t.text];
    if (weight === undefined) return void (t.kind = T.invalid);
    t.suffix = weight;
    t.kind = T.suffix;
    return;
  }
  if (c === '~') {
    if (t.kind >= T.commitHash) return void (t.kind = T.invalid);
    cur.pos++;
    t.text = takeWhile(cur, isHex);
    t.kind = t.text === '' ? T.invalid : T.commitHash;
    return;
  }
  if (c === '-') {
    if (t.kind >= T.revisionNo || cur.s[cur.pos + 1] !== 'r') return void (t.kind = T.invalid);
    cur.pos += 2;
    t.kind = T.revisionNo;
    readDigits(t, cur);
    return;
  }
  t.kind = T.invalid;
}

/** Byte order, shorter first on a common prefix. */
function blobSort(a: string, b: string): Ordering {
  return compareText(a, b);
}

function compareTokens(a: Token, b: Token): Ordering {
  switch (a.kind) {
    case T.digit:
      // A leading zero makes the component fractional-like: plain string order (Gentoo rule).
      if (a.text.startsWith('0') || b.text.startsWith('0')) return blobSort(a.text, b.text);
      return compareDigits(a.text, b.text);
    case T.initialDigit:
    case T.suffixNo:
    case T.revisionNo:
      return compareDigits(a.text, b.text);
    case T.letter:
      return blobSort(a.text, b.text);
    case T.suffix:
      return a.suffix < b.suffix ? -1 : a.suffix > b.suffix ? 1 : 0;
    default:
      return blobSort(a.text, b.text);
  }
}

/** The token sequence apk-tools 3 reads, ending with the end token or the first invalid one. */
function tokenize(v: string): Token[] {
  const cur: Cursor = { s: v, pos: 0 };
  const t = first(cur);
  const out: Token[] = [{ ...t }];
  while (t.kind < T.end) {
    next(t, cur);
    out.push({ ...t });
  }
  return out;
}

function compareTokenLists(a: readonly Token[], b: readonly Token[]): Ordering {
  let i = 0;
  for (;;) {
    const ta = a[i] as Token;
    const tb = b[i] as Token;
    if (ta.kind !== tb.kind || ta.kind >= T.end) {
      if (ta.kind === tb.kind) return 0;
      if (ta.kind === T.suffix && ta.suffix < SUFFIX_NONE) return -1;
      if (tb.kind === T.suffix && tb.suffix < SUFFIX_NONE) return 1;
      return ta.kind > tb.kind ? -1 : 1;
    }
    const c = compareTokens(ta, tb);
    if (c !== 0) return c;
    i++;
  }
}

const SUFFIX_RE = /^_(alpha|beta|pre|rc|cvs|svn|git|hg|p)([0-9]*)/;

interface LooseApk {
  readonly text: string;
  readonly invalid: boolean;
  readonly numbers: readonly string[];
  readonly letter: string;
  readonly suffixes: readonly { readonly weight: number; readonly number: string }[];
  readonly revision: string;
  readonly rest: string;
}

/**
 * Field-by-field reading for versions apk-tools itself rejects (".1", "1-r", "1.2.0A"…), so they
 * still get a stable order: numbers, letter, suffixes, revision, then "has junk" sorts lower.
 */
function parseLoose(text: string): LooseApk {
  let rest = text;
  const numbersMatch = /^(?:[0-9]+\.?)*/.exec(rest)?.[0] ?? '';
  const numbers = numbersMatch === '' ? [] : numbersMatch.split('.');
  rest = rest.slice(numbersMatch.length);
  const letter = /^[a-z]/.test(rest) ? rest.slice(0, 1) : '';
  rest = rest.slice(letter.length);
  const suffixes: { weight: number; number: string }[] = [];
  for (let m = SUFFIX_RE.exec(rest); m !== null; m = SUFFIX_RE.exec(rest)) {
    suffixes.push({ weight: SUFFIX_WEIGHT[m[1] ?? ''] ?? SUFFIX_NONE, number: m[2] || '0' });
    rest = rest.slice(m[0].length);
  }
  rest = rest.slice(/^~[0-9a-f]+/.exec(rest)?.[0].length ?? 0);
  let revision = '0';
  let invalid = false;
  if (rest !== '') {
    const m = /^-r([0-9]*)/.exec(rest);
    if (m === null) invalid = true;
    else {
      revision = m[1] || '0';
      rest = rest.slice(m[0].length);
    }
  }
  return { text, invalid, numbers, letter, suffixes, revision, rest };
}

function compareLoose(a: LooseApk, b: LooseApk): Ordering {
  if (a.invalid && b.invalid) return compareText(a.text, b.text);
  for (let i = 0; i < Math.max(a.numbers.length, b.numbers.length); i++) {
    const x = a.numbers[i] ?? '0';
    const y = b.numbers[i] ?? '0';
    const c = i !== 0 && (x.startsWith('0') || y.startsWith('0')) ? compareText(x, y) : compareDigits(x, y);
    if (c !== 0) return c;
  }
  if (a.letter !== b.letter) {
    if (a.letter === '') return -1;
    if (b.letter === '') return 1;
    return compareText(a.letter, b.letter);
  }
  for (let i = 0; i < Math.max(a.suffixes.length, b.suffixes.length); i++) {
    const x = a.suffixes[i] ?? { weight: SUFFIX_NONE, number: '0' };
    const y = b.suffixes[i] ?? { weight: SUFFIX_NONE, number: '0' };
    if (x.weight !== y.weight) return x.weight < y.weight ? -1 : 1;
    const c = compareDigits(x.number, y.number);
    if (c !== 0) return c;
  }
  const r = compareDigits(a.revision, b.revision);
  if (r !== 0) return r;
  if ((a.rest === '') !== (b.rest === '')) return a.rest === '' ? 1 : -1;
  return 0;
}

/** A parsed Alpine version: apk-tools' tokens when valid, the field-wise reading otherwise. */
export interface ApkVersion {
  readonly text: string;
  readonly tokens: readonly Token[] | undefined;
  /** Only for versions apk rejects (computed on demand for a valid one compared with those). */
  readonly loose: LooseApk | undefined;
}

/**
 * Alpine package versions, ordered like apk-tools 3 (`apk version -t`) when both are valid.
 * When either is malformed (apk_version_validate fails) we fall back to a field-wise reading,
 * which is the order OSV tooling uses for such strings; only empty input is refused.
 */
export const apk = {
  id: 'apk',
  specUrl: 'https://wiki.alpinelinux.org/wiki/APKBUILD_Reference#pkgver',

  parse(input) {
    const text = input.trim();
    if (text === '' || /\s/.test(text)) return err({ input, reason: 'empty or contains whitespace' });
    const tokens = tokenize(text);
    const valid = tokens[tokens.length - 1]?.kind === T.end;
    return ok({ text, tokens: valid ? tokens : undefined, loose: valid ? undefined : parseLoose(text) });
  },

  compare(a, b) {
    if (a.tokens !== undefined && b.tokens !== undefined) return compareTokenLists(a.tokens, b.tokens);
    return compareLoose(a.loose ?? parseLoose(a.text), b.loose ?? parseLoose(b.text));
  },
} as const satisfies VersionScheme<ApkVersion>;
