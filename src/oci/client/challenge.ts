/** A parsed `WWW-Authenticate` challenge (RFC 7235), e.g. `Bearer realm="…",service="…",scope="…"`. */
export interface Challenge {
  readonly scheme: string; // lower-case: 'basic' | 'bearer' | …
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Parses the challenges in a WWW-Authenticate header value. Handles quoted strings with escapes
 * and commas inside quotes (scopes such as `repository:a:pull,push`).
 */
export function parseChallenges(header: string): Challenge[] {
  const out: { scheme: string; params: Record<string, string> }[] = [];
  let i = 0;
  const n = header.length;
  const skipSpace = (): void => {
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < n && /[!#$%&'*+.^_`|~0-9A-Za-z-]/.test(header[i] ?? '')) i++;
    return header.slice(start, i);
  };
  while (i < n) {
    skipSpace();
    while (i < n && header[i] === ',') {
      i++;
      skipSpace();
    }
    const word = readToken();
    if (word === '') {
      i++;
      continue;
    }
    skipSpace();
    if (header[i] === '=' && out.length > 0) {
      // a parameter of the current challenge
      i++;
      skipSpace();
      let value = '';
      if (header[i] === '"') {
        i++;
        while (i < n && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < n) i++;
          value += header[i];
          i++;
        }
        i++;
      } else {
        const start = i;
        while (i < n && header[i] !== ',' && header[i] !== ' ') i++;
        value = header.slice(start, i);
      }
      const current = out[out.length - 1];
      if (current) current.params[word.toLowerCase()] = value;
    } else {
      out.push({ scheme: word.toLowerCase(), params: {} });
    }
  }
  return out;
}
