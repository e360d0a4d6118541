import { err, ok } from '../../../core/result.ts';
import type { VersionScheme } from '../../scheme.ts';
import { isAsciiLetter, isDigit, sign } from '../../_shared/numeric.ts';

export interface DebVersion {
  readonly epoch: number;
  readonly upstream: string;
  readonly revision: string;
}

const UPSTREAM = /^[A-Za-z0-9.+~:-]+$/;
const REVISION = /^[A-Za-z0-9.+~]*$/;

/** dpkg's character weight: '~' before everything (even the end), letters before other symbols. */
function order(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (isAsciiLetter(c)) return c.charCodeAt(0);
  if (c === '~') return -1;
  return c.charCodeAt(0) + 256;
}

/** dpkg's verrevcmp: alternate non-digit runs (by order()) and digit runs (numerically). */
function compareFragment(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ac = order(a[i]);
      const bc = order(b[j]);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

/**
 * Debian package versions, [epoch:]upstream[-revision], compared like `dpkg --compare-versions`.
 * Like dpkg, a version whose upstream part does not start with a digit is accepted (dpkg warns).
 */
export const deb = {
  id: 'deb',
  specUrl: 'https://www.debian.org/doc/debian-policy/ch-controlfields.html#version',

  parse(input) {
    const text = input.trim();
    if (text === '' || /\s/.test(text)) return err({ input, reason: 'empty or contains whitespace' });
    const colon = text.indexOf(':');
    const epochText = colon === -1 ? '0' : text.slice(0, colon);
    const rest = colon === -1 ? text : text.slice(colon + 1);
    if (!/^[0-9]+$/.test(epochText) || epochText.length > 9) return err({ input, reason: 'epoch is not a number' });
    const dash = rest.lastIndexOf('-');
    const upstream = dash === -1 ? rest : rest.slice(0, dash);
    const revision = dash === -1 ? '' : rest.slice(dash + 1);
    if (upstream === '') return err({ input, reason: 'upstream version is empty' });
    if (dash !== -1 && revision === '') return err({ input, reason: 'revision is empty' });
    if (!UPSTREAM.test(upstream) || !REVISION.test(revision)) {
      return err({ input, reason: 'invalid character in version' });
    }
    return ok({ epoch: Number(epochText), upstream, revision });
  },

  compare(a, b) {
    if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
    return sign(compareFragment(a.upstream, b.upstream) || compareFragment(a.revision, b.revision));
  },
} as const satisfies VersionScheme<DebVersion>;
