/**
 * CODEOWNERS path patterns with GitHub's semantics (docs.github.com, "About code owners"):
 * gitignore-style, except that `!` negation and `[ ]` character ranges are NOT supported (GitHub
 * reports such lines as errors and ignores them), and `\#` escapes a leading `#`.
 *
 *   *.js            any .js file at any depth
 *   docs/           everything under any directory named docs
 *   /docs/          everything under the root docs directory
 *   docs/*          files directly in docs (not docs/a/b.md)
 *   apps/**         everything under apps (anchored: the pattern has a slash)
 *   **\/logs        any logs file or directory, and everything under it
 *   /build/logs/    anchored directory
 *   *               every file
 */

export type PatternResult = { readonly ok: true; readonly test: (path: string) => boolean } | { readonly ok: false; readonly reason: string };

function escapeRegex(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** Translates one segment-level glob body into a regex (no anchoring). */
function globBody(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const before = i === 0 || glob[i - 1] === '/';
        const after = glob[i + 2] === '/' || i + 2 === glob.length;
        if (before && after) {
          if (glob[i + 2] === '/') {
            out += '(?:[^/]+/)*'; // `**/` : zero or more directories
            i += 2;
          } else {
            out += '.*'; // trailing `/**`: everything inside
            i += 1;
          }
          continue;
        }
        // `a**b` is two single stars in gitignore
        out += '[^/]*';
        i += 1;
        continue;
      }
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '\\' && i + 1 < glob.length) {
      out += escapeRegex(glob[i + 1] ?? '');
      i += 1;
    } else {
      out += escapeRegex(c);
    }
  }
  return out;
}

/** Compiles a CODEOWNERS (or build-file) pattern. Paths tested are repo-relative with '/' separators. */
export function compilePattern(raw: string): PatternResult {
  let pattern = raw;
  if (pattern.startsWith('\\#')) pattern = pattern.slice(1);
  if (pattern.startsWith('!')) return { ok: false, reason: 'negation (!) is not supported in CODEOWNERS' };
  if (/(^|[^\\])\[/.test(pattern)) return { ok: false, reason: 'character ranges ([ ]) are not supported in CODEOWNERS' };
  if (pattern === '' || pattern === '/') return { ok: false, reason: 'empty pattern' };
  const dirOnly = pattern.endsWith('/');
  if (dirOnly) pattern = pattern.slice(0, -1);
  const anchoredByLeadingSlash = pattern.startsWith('/');
  if (anchoredByLeadingSlash) pattern = pattern.slice(1);
  // A slash anywhere but the end anchors the pattern to the root (gitignore rule).
  const anchored = anchoredByLeadingSlash || pattern.includes('/');
  const body = globBody(pattern);
  const last = pattern.split('/').pop() ?? '';
  // GitHub: `docs/*` matches files directly in docs only; a literal last segment also matches a directory's contents.
  const lastIsSingleStar = /(^|[^*])\*$/.test(last) && !last.endsWith('**');
  const suffix = dirOnly ? '/.*' : lastIsSingleStar ? '' : '(?:/.*)?';
  const prefix = anchored ? '^' : '^(?:.*/)?';
  const re = new RegExp(`${prefix}${body}${suffix}$`);
  return { ok: true, test: (path: string) => re.test(path) };
}
