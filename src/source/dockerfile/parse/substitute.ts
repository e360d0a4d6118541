/** Build-time variable substitution as BuildKit does it for FROM and instruction values. */

export interface Substituted {
  readonly value: string;
  /** True when a referenced variable had no known value (the result still contains `$…` text or an empty gap). */
  readonly unresolved: boolean;
}

/**
 * Expands `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`,
 * `${VAR:?msg}` with the given values; `undefined` means declared without a value or not declared.
 */
export function substitute(text: string, vars: ReadonlyMap<string, string | undefined>, escape = '\\'): Substituted {
  let out = '';
  let unresolved = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === escape && text[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (text[i + 1] === '{') {
      const end = matchBrace(text, i + 1);
      if (end < 0) {
        out += text.slice(i);
        unresolved = true;
        break;
      }
      const body = text.slice(i + 2, end);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-+?])([\s\S]*))?$/.exec(body);
      if (!m?.[1]) {
        out += text.slice(i, end + 1);
        unresolved = true;
      } else {
        const v = vars.get(m[1]);
        const colon = m[2] === ':';
        const op = m[3];
        const word = m[4] ?? '';
        const set = v !== undefined && (!colon || v !== '');
        if (op === '-') {
          if (set) out += v;
          else {
            const inner = substitute(word, vars, escape);
            out += inner.value;
            unresolved ||= inner.unresolved;
          }
        } else if (op === '+') {
          if (set) {
            const inner = substitute(word, vars, escape);
            out += inner.value;
            unresolved ||= inner.unresolved;
          }
        } else if (set) out += v;
        else unresolved = true;
      }
      i = end + 1;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1, i + 129));
    if (!m) {
      out += '$';
      i++;
      continue;
    }
    const v = vars.get(m[0]);
    if (v === undefined) unresolved = true;
    else out += v;
    i += 1 + m[0].length;
  }
  return { value: out, unresolved };
}

function matchBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
