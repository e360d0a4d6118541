import type { Ordering } from '../scheme.ts';

export function sign(n: number): Ordering {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Compares two strings of ASCII digits as unbounded integers (leading zeros ignored). */
export function compareDigits(a: string, b: string): Ordering {
  let i = 0;
  while (i < a.length - 1 && a.charCodeAt(i) === 48) i++;
  let j = 0;
  while (j < b.length - 1 && b.charCodeAt(j) === 48) j++;
  const x = a.slice(i);
  const y = b.slice(j);
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Compares lists of digit strings element-wise as integers; a longer list wins on a tie (1.0 < 1.0.0). */
export function compareDigitLists(a: readonly string[], b: readonly string[]): Ordering {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const c = compareDigits(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

/** Byte-wise (UTF-16 code unit) ordering, like C strcmp / Ruby String#<=> on ASCII. */
export function compareText(a: string, b: string): Ordering {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

export function isAsciiLetter(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}
