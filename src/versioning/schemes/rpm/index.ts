import { err, ok } from '../../../core/result.ts';
import type { Ordering, VersionScheme } from '../../scheme.ts';
import { compareDigits, compareText, isDigit } from '../../_shared/numeric.ts';

export interface RpmVersion {
  readonly epoch: string;
  readonly version: string;
  /** undefined when the string had no '-': sorts before any release, even an empty one. */
  readonly release: string | undefined;
}

function isAlnum(c: string | undefined): boolean {
  return c !== undefined && /^[A-Za-z0-9]$/.test(c);
}

/** rpm's rpmvercmp (rpm ≥ 4.15): alpha/numeric segments, '~' sorts lowest, '^' just above the end. */
export function rpmvercmp(a: string, b: string): Ordering {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = isDigit(a[i]);
    const si = i;
    const sj = j;
    const same = numeric ? isDigit : (c: string | undefined) => c !== undefined && /^[A-Za-z]$/.test(c);
    while (i < a.length && same(a[i])) i++;
    while (j < b.length && same(b[j])) j++;
    const x = a.slice(si, i);
    const y = b.slice(sj, j);
    if (y === '') return numeric ? 1 : -1;
    const c = numeric ? compareDigits(x, y) : compareText(x, y);
    if (c !== 0) return c;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i < a.length ? 1 : -1;
}

/** RPM [epoch:]version[-release] (EVR), as rpm orders packages; a missing epoch is 0. */
export const rpm = {
  id: 'rpm',
  specUrl: 'https://rpm-software-management.github.io/rpm/manual/dependencies.html#versioning',

  parse(input) {
    const text = input.trim();
    if (text === '' || /\s/.test(text)) return err({ input, reason: 'empty or contains whitespace' });
    const colon = text.indexOf(':');
    const epoch = colon === -1 ? '0' : text.slice(0, colon);
    const rest = colon === -1 ? text : text.slice(colon + 1);
    const dash = rest.lastIndexOf('-');
    const version = dash === -1 ? rest : rest.slice(0, dash);
    const release = dash === -1 ? undefined : rest.slice(dash + 1);
    return ok({ epoch: epoch === '' ? '0' : epoch, version, release });
  },

  compare(a, b) {
    const e = rpmvercmp(a.epoch, b.epoch);
    if (e !== 0) return e;
    const v = rpmvercmp(a.version, b.version);
    if (v !== 0) return v;
    if (a.release === undefined || b.release === undefined) {
      return a.release === b.release ? 0 : a.release === undefined ? -1 : 1;
    }
    return rpmvercmp(a.release, b.release);
  },
} as const satisfies VersionScheme<RpmVersion>;
