import correct from 'spdx-correct';
import SPDX_IDS from 'spdx-license-ids/index.json' with { type: 'json' };
import { licenseRef, unwrap } from './expression-text.ts';
import { isExpression, withoutStacks } from './license-expression.ts';

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
  return withCurrentGnuIds(readExpression(text));
}

/** SPDX's deprecated GNU ids in their current form: GPL-2.0 is GPL-2.0-only, GPL-2.0+ GPL-2.0-or-later. */
function withCurrentGnuIds(expression: string): string {
  const current = expression.replace(/(?<![\w.+-])((?:A|L)?GPL-\d\.\d)(\+?)(?![\w.+-])/g, (_m, id: string, plus: string) => `${id}-${plus === '+' ? 'or-later' : 'only'}`);
  return current !== expression && isExpression(current) ? current : expression;
}

function readExpression(text: string): string {
  if (isExpression(text)) return text;
  const upperOps = text.replace(/\s+(and|or|with)\s+/gi, (_m, op: string) => ` ${op.toUpperCase()} `);
  if (upperOps !== text && isExpression(upperOps)) return upperOps;
  // "or later" is a version, not an alternative: GPL v2 or later = GPL-2+
  const plussed = text.replace(OR_LATER, '+');
  // Alternatives and conjunctions written out (Debian's "GPL-2+ or Artistic", "BSD-3-clause and/or GPL-3+"):
  // each part on its own. spdx-correct given the whole text answers one licence and drops the rest.
  // Only licence names are split: a licence's own text ("... sublicense, and/or sell copies ...") is
  // not a list of licences, and parts that are all LicenseRefs say the split read nothing.
  const alternatives = plussed.split(OR_WORDS);
  const pieces = alternatives.map((alternative) => alternative.split(AND_WORD));
  if (pieces.flat().length > 1 && pieces.flat().every((piece) => piece.trim().length <= MAX_NAME_LENGTH)) {
    const parts = pieces.map((conjunctive) => {
      const conjuncts = conjunctive.map((part) => normaliseOne(part));
      if (conjuncts.some((c) => c === undefined)) return undefined;
      return conjuncts.length === 1 ? (conjuncts[0] as string) : alternatives.length > 1 ? `(${conjuncts.join(' AND ')})` : conjuncts.join(' AND ');
    });
    const read = parts.filter((p): p is string => p !== undefined);
    if (read.length === parts.length && read.some(namesALicence)) {
      const joined = read.join(' OR ');
      if (isExpression(joined)) return joined;
    }
  }
  // "MIT, BSD-3-Clause" lists, when every part is a licence ("Apache License, Version 2.0" is one)
  const listed = eachALicence(plussed.split(/\s*[,;]\s*/));
  if (listed !== undefined) return listed;
  const whole = normaliseOne(plussed);
  if (whole !== undefined && namesALicence(whole)) return whole;
  // "GPL/BSD" style, the same way ("zlib/libpng" is one licence, read whole above)
  return eachALicence(plussed.split(/\s*\/\s*/)) ?? licenseRef(text);
}

/** Alternatives, when there are several and every one names a licence of its own; else undefined. */
function eachALicence(parts: readonly string[]): string | undefined {
  const read = parts.filter((p) => p !== '').map((part) => normaliseOne(part));
  if (read.length < 2 || !read.every((p) => p !== undefined && namesALicence(p))) return undefined;
  return read.join(' OR ');
}

/** Whether an expression holds an id of its own, not only LicenseRefs. */
function namesALicence(expression: string): boolean {
  return expression.replace(/LicenseRef-[^\s()]*|\b(?:AND|OR|WITH)\b|[()\s]/g, '') !== '';
}

/** "or later" spelled out (GNU's "version 2 or (at your option) any later version" shortened as people do). */
const OR_LATER = /,?\s+or\s+(?:\(at your option\)\s+)?(?:any\s+)?(?:later|newer)(?:\s+version)?\b/gi;
/** Longer parts are prose (a licence's text), not licence names. */
const MAX_NAME_LENGTH = 80;
const OR_WORDS = /\s+(?:and\/or|or)\s+|\s*\|\s*/i;
const AND_WORD = /\s+and\s+/i;

/**
 * One licence: an SPDX id or expression as it stands, a GNU licence as Debian and package metadata
 * name it, a DEP-5 short name, else spdx-correct; a trailing "+" kept as "-or-later" (or SPDX's "+").
 * "<licence> with <name> exception": the licence (an exception only adds permissions; SPDX ids exist
 * for few of the names used). What none of these read becomes a LicenseRef.
 */
function normaliseOne(part: string): string | undefined {
  const text = unwrap(part.trim());
  if (text === '') return undefined;
  if (isExpression(text)) return text;
  const base = text.replace(/\s+with\s+.+$/i, '').trim();
  const gnu = gnuLicence(base);
  if (gnu !== undefined) return gnu;
  const gfdl = gfdlNoInvariants(base);
  if (gfdl !== undefined) return gfdl;
  // "MIT-like", "BSD-variant": a licence resembling one, which is not that licence
  if (RESEMBLING.test(base)) return licenseRef(text);
  // a family with no version or variant ("Apache", "BSD", "MPL"): spdx-correct would pick one
  // (Apache-2.0, BSD-2-Clause, MPL-2.0), an SBOM must not claim which
  if (VERSIONLESS_FAMILIES.test(base)) return licenseRef(text);
  const plus = base.endsWith('+');
  const core = plus ? base.slice(0, -1).trim() : base;
  const id = DEP5_SHORT_NAMES.get(core.toLowerCase()) ?? SPDX_ID_BY_LOWER_CASE.get(core.toLowerCase()) ?? (isExpression(core) ? core : withoutStacks(() => correct(core, { upgrade: true })));
  if (id === null || !isExpression(id)) return licenseRef(text);
  if (!plus || id.endsWith('-or-later')) return id;
  if (id.endsWith('-only')) return `${id.slice(0, -'-only'.length)}-or-later`;
  return isExpression(`${id}+`) ? `${id}+` : id;
}

/**
 * SPDX ids written in another case ("BSD-4-clause-UC"): the id itself. spdx-correct, asked first,
 * answered some of them with another licence (BSD-4-clause-UC as BSD-2-Clause).
 */
const SPDX_ID_BY_LOWER_CASE: ReadonlyMap<string, string> = new Map((SPDX_IDS as readonly string[]).map((id) => [id.toLowerCase(), id]));

const RESEMBLING = /[-\s](?:like|variant|style|ish)$/i;

/** Licence families whose versions or variants differ in terms, named without one. */
const VERSIONLESS_FAMILIES = /^(?:the\s+)?(?:apache(?:\s+licen[cs]e)?|bsd(?:\s+licen[cs]e)?|mpl|mozilla\s+public\s+licen[cs]e|epl|eclipse\s+public\s+licen[cs]e|cc-by(?:-sa)?)$/i;

/**
 * GFDL without invariant sections as Debian names it (GFDL-NIV-1.3, GFDL-1.3+-no-invariant): SPDX's
 * GFDL-<version>-no-invariants-only / -or-later.
 */
function gfdlNoInvariants(text: string): string | undefined {
  const match = /^GFDL-(?:NIV-(\d\.\d)(\+)?|(\d\.\d)(\+)?-no-invariants?)$/i.exec(text);
  if (match === null) return undefined;
  const version = match[1] ?? match[3];
  const later = (match[2] ?? match[4]) === '+';
  const id = `GFDL-${version ?? ''}-no-invariants-${later ? 'or-later' : 'only'}`;
  return isExpression(id) ? id : undefined;
}

/** DEP-5 short names spdx-correct does not read as Debian means them. */
const DEP5_SHORT_NAMES: ReadonlyMap<string, string> = new Map([
  ['expat', 'MIT'],
  // /usr/share/common-licenses/Artistic is Perl's Artistic License (1.0)
  ['artistic', 'Artistic-1.0-Perl'],
]);

/**
 * The GNU family as people write it: GPL-2+, GPLv3, GPL2, LGPL-2.1, LGPL-3.0+, AGPL-3, "GNU GPL v2+",
 * "GNU Lesser General Public License version 2.1", "Library GPL 2"; unversioned GPL and LGPL as any
 * version (AGPL and the rest are left to spdx-correct). spdx-correct itself reads several of these wrongly ("GPL-2+" as GPL-2.0-only,
 * "LGPL-3.0" as LGPL-3.0-or-later, "GNU General Public License v2 or later" as GPL-3.0-or-later).
 */
function gnuLicence(text: string): string | undefined {
  // no version: "you may choose any version ever published" (GPL section 9 / 14, LGPL likewise)
  if (/^(?:GNU\s+)?(?:GPL|General\s+Public\s+Licen[cs]e)$/i.test(text)) return 'GPL-1.0-or-later';
  if (/^(?:GNU\s+)?(?:LGPL|Lesser\s+General\s+Public\s+Licen[cs]e|Library\s+General\s+Public\s+Licen[cs]e)$/i.test(text)) return 'LGPL-2.0-or-later';
  const match = GNU.exec(text);
  if (match === null) return undefined;
  const [, qualifier = '', major = '', minor, suffix] = match;
  const family = /^a|affero/i.test(qualifier) ? 'AGPL' : /^l|lesser|library/i.test(qualifier) ? 'LGPL' : 'GPL';
  const version = `${major}.${minor ?? '0'}`;
  const id = `${family}-${version}-${suffix === '+' ? 'or-later' : 'only'}`;
  return isExpression(id) ? id : undefined;
}

const GNU =
  /^(?:GNU\s+)?(A|L|Affero\s+|Lesser\s+|Library\s+)?(?:GPL|General\s+Public\s+Licen[cs]e)(?:\s*,?\s*(?:v|version|ver\.?)\s*|\s*-\s*|\s*)(\d)(?:\.(\d))?(?:\.0)?\s*(\+)?$/i;

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
