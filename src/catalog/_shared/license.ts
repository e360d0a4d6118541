import correct from 'spdx-correct';
import { isExpression, licenseRef } from './license-expression.ts';

/**
 * Turns a declared licence (free text, an SPDX id, an expression, 'Apache 2.0', 'GPLv2+') into an
 * SPDX expression. Text that cannot be read as one becomes `LicenseRef-<sanitised text>`, so nothing
 * declared is lost and the output stays a valid expression.
 */
export function normaliseLicense(raw: string): string | undefined {
  // Pure and slow (spdx-correct tries transpositions), and the same texts recur across packages
  // (GPL-2+, MIT, Apache-2.0…): remembered per process, a bounded number of them.
  const known = memo.get(raw);
  if (known !== undefined || memo.has(raw)) return known;
  const result = normaliseUncached(raw);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(raw, result);
  return result;
}

const MEMO_LIMIT = 4096;
const memo = new Map<string, string | undefined>();

function normaliseUncached(raw: string): string | undefined {
  const text = raw.trim().replace(/\s+/g, ' ');
  if (text === '' || /^(unknown|none|n\/a|noassertion)$/i.test(text)) return undefined;
  if (isExpression(text)) return text;
  const upperOps = text.replace(/\s+(and|or|with)\s+/gi, (_m, op: string) => ` ${op.toUpperCase()} `);
  if (upperOps !== text && isExpression(upperOps)) return upperOps;
  const corrected = correct(text, { upgrade: true });
  if (corrected !== null && isExpression(corrected)) return corrected;
  // "MIT, BSD" / "GPL-2 | LGPL" style lists: join the parts that normalise
  const parts = text.split(/\s*(?:,|;|\||\/)\s*|\s+(?:or|OR)\s+/).filter((p) => p !== '');
  if (parts.length > 1) {
    const normalised = parts.map((part) => normaliseOne(part));
    if (normalised.every((p) => p !== undefined)) return normalised.join(' OR ');
  }
  return licenseRef(text);
}

function normaliseOne(part: string): string | undefined {
  if (isExpression(part)) return part;
  const corrected = correct(part, { upgrade: true });
  return corrected !== null && isExpression(corrected) ? corrected : undefined;
}

/** Normalises and de-duplicates a list, keeping first-seen order. */
export function normaliseLicenses(raws: readonly (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const raw of raws) {
    if (raw === undefined) continue;
    const expression = normaliseLicense(raw);
    if (expression !== undefined && !out.includes(expression)) out.push(expression);
  }
  return out;
}
