import { compilePattern } from './pattern.ts';

export interface OwnerRule {
  readonly line: number;
  readonly pattern: string;
  /** Empty: the pattern un-owns what it matches (GitHub: a later line with no owners). */
  readonly owners: readonly string[];
  readonly test: (path: string) => boolean;
}

export interface CodeownersIssue {
  readonly line: number;
  readonly text: string;
  readonly reason: string;
}

export interface Codeowners {
  readonly path: string;
  readonly rules: readonly OwnerRule[];
  readonly issues: readonly CodeownersIssue[];
}

/** Where GitHub looks, in the order it looks (first found wins). */
export const CODEOWNERS_LOCATIONS: readonly string[] = Object.freeze(['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS']);

const OWNER = /^(@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\/[A-Za-z0-9._-]+)?|[^@\s]+@[^@\s]+\.[^@\s]+)$/;

/** Splits on unescaped whitespace; `\ ` keeps a space in a pattern. */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (c === '\\' && line[i + 1] === ' ') {
      cur += ' ';
      i++;
    } else if (c === ' ' || c === '\t') {
      if (cur !== '') out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur !== '') out.push(cur);
  return out;
}

/**
 * Parses a CODEOWNERS file. Lines GitHub would reject (bad pattern syntax, malformed owners) are
 * reported as issues and skipped, as GitHub skips them.
 */
export function parseCodeowners(path: string, text: string): Codeowners {
  const rules: OwnerRule[] = [];
  const issues: CodeownersIssue[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((rawLine, index) => {
    const lineNo = index + 1;
    // Strip comments: `#` starts one unless escaped as `\#`.
    let line = '';
    for (let i = 0; i < rawLine.length; i++) {
      const c = rawLine[i];
      if (c === '\\' && rawLine[i + 1] === '#') {
        line += '\\#';
        i++;
        continue;
      }
      if (c === '#') break;
      line += c;
    }
    const parts = fields(line.trim());
    if (parts.length === 0) return;
    const [pattern, ...owners] = parts as [string, ...string[]];
    if (/^\[.*\]$/.test(pattern)) return; // GitLab section headers; GitHub ignores them as invalid
    const compiled = compilePattern(pattern);
    if (!compiled.ok) {
      issues.push({ line: lineNo, text: rawLine, reason: compiled.reason });
      return;
    }
    const bad = owners.filter((o) => !OWNER.test(o));
    if (bad.length > 0) {
      issues.push({ line: lineNo, text: rawLine, reason: `invalid owner ${bad.join(', ')}` });
      return;
    }
    rules.push({ line: lineNo, pattern: pattern.startsWith('\\#') ? pattern.slice(1) : pattern, owners, test: compiled.test });
  });
  return { path, rules, issues };
}

/** Last matching line wins; undefined when no line matches. */
export function ownersOf(codeowners: Codeowners, file: string): OwnerRule | undefined {
  for (let i = codeowners.rules.length - 1; i >= 0; i--) {
    const rule = codeowners.rules[i];
    if (rule !== undefined && rule.test(file)) return rule;
  }
  return undefined;
}
