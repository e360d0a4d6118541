import type { FileEntry } from './types.ts';

/**
 * Compiles path globs into a `want` predicate for readImage: `*` matches within one path component,
 * `**` across components, `?` one character. Patterns are absolute ('/etc/os-release',
 * '/usr/lib/**\/*.so*', '**\/package.json'). The compiled regexes have no nested quantifiers.
 */
export function wantPaths(patterns: readonly string[]): (entry: FileEntry) => boolean {
  const regexes = patterns.map(globToRegExp);
  return (entry) => regexes.some((re) => re.test(entry.path));
}

/** Regular files with any execute bit set (ELF binaries, scripts). */
export function isExecutable(entry: FileEntry): boolean {
  return (entry.type === 'file' || entry.type === 'hardlink') && (entry.mode & 0o111) !== 0;
}

/** True when any of the predicates wants the entry. */
export function anyOf(...wants: readonly ((entry: FileEntry) => boolean)[]): (entry: FileEntry) => boolean {
  return (entry) => wants.some((want) => want(entry));
}

export function globToRegExp(pattern: string): RegExp {
  // a relative glob matches at any depth; one leading '**/' means the same (never two adjacent star groups)
  const relative = !pattern.startsWith('/');
  const glob = relative ? pattern.replace(/^(\*\*\/)+/, '') : pattern;
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        out += slashAfter ? '(?:[^/]*/)*' : '.*';
        i += slashAfter ? 2 : 1;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else out += /[\\^$.|+()[\]{}]/.test(c) ? `\\${c}` : c;
  }
  const anchored = relative ? `/(?:[^/]*/)*${out}` : out;
  return new RegExp(`^${anchored}$`);
}
