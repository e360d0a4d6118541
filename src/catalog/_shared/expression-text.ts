// Expression text as text: no SPDX parser (spdx-expression-parse and its id lists), so writing an SBOM
// from a cached catalogue loads none of it.

export function licenseRef(text: string): string {
  const id = text.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
  return `LicenseRef-${id === '' ? 'unknown' : id}`;
}

/**
 * The members of an expression's top-level AND, each without the parentheses around it:
 * "A AND (B OR C) AND (D AND E)" gives ["A", "B OR C", "D AND E"]; "(A AND B)" gives ["A AND B"] (how
 * a single conjunctive licence is written: sbom/options.ts combineLicenses). A package's licences are
 * such a list (all apply), and a CycloneDX or SPDX document carries it as one expression.
 */
export function conjuncts(expression: string): string[] {
  const text = expression.trim();
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    // AND binds tighter than OR: an expression with a top-level OR is one alternative-taking licence
    else if (depth === 0 && text.startsWith(' OR ', i)) return [unwrap(text)];
    else if (depth === 0 && text.startsWith(' AND ', i)) {
      parts.push(text.slice(start, i));
      start = i + ' AND '.length;
      i = start - 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => unwrap(part.trim())).filter((part) => part !== '');
}

/** `part` without parentheses that enclose all of it ("(A OR B)", not "(A) OR (B)"). */
export function unwrap(part: string): string {
  let inner = part;
  while (inner.startsWith('(') && inner.endsWith(')') && closesAtEnd(inner)) inner = inner.slice(1, -1).trim();
  return inner;
}

function closesAtEnd(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    if (depth === 0) return i === text.length - 1;
  }
  return false;
}
