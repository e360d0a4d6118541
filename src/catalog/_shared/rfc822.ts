/**
 * Parses RFC 822-style stanzas (dpkg status, Python METADATA/PKG-INFO headers): `Key: value` lines,
 * continuation lines start with whitespace, stanzas are separated by blank lines. Keys keep their case;
 * repeated keys collect in `multi`.
 */
export interface Stanza {
  readonly fields: ReadonlyMap<string, string>;
  readonly multi: ReadonlyMap<string, readonly string[]>;
  readonly line: number; // 1-based line where the stanza starts
}

export function parseStanzas(text: string, options: { stopAtFirstBlank?: boolean } = {}): Stanza[] {
  const stanzas: Stanza[] = [];
  let fields = new Map<string, string>();
  let multi = new Map<string, string[]>();
  let start = 1;
  let key: string | undefined;
  const lines = text.split(/\r?\n/);
  const flush = (): void => {
    if (fields.size > 0) stanzas.push({ fields, multi, line: start });
    fields = new Map();
    multi = new Map();
    key = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') {
      if (fields.size > 0 && options.stopAtFirstBlank === true) break;
      flush();
      start = i + 2;
      continue;
    }
    if ((line.startsWith(' ') || line.startsWith('\t')) && key !== undefined) {
      const joined = `${fields.get(key) ?? ''}\n${line.slice(1)}`;
      fields.set(key, joined);
      const list = multi.get(key);
      if (list !== undefined) list[list.length - 1] = joined;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (!fields.has(key)) fields.set(key, value);
    const list = multi.get(key) ?? [];
    list.push(value);
    multi.set(key, list);
  }
  flush();
  return stanzas;
}
