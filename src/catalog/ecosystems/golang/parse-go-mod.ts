import type { DeclaredEntry, DeclaredResult } from '../../_shared/declared.ts';
import { buildPurl } from '../../_shared/purl.ts';

/** pkg:golang/<module path up to the last slash>/<last element>@version (a module from go.mod or a binary's build info). */
export function goPurl(path: string, version: string): string {
  const slash = path.lastIndexOf('/');
  return slash > 0 ? buildPurl('golang', path.slice(0, slash), path.slice(slash + 1), version) : buildPurl('golang', undefined, path, version);
}

interface Directive {
  readonly verb: string;
  readonly args: readonly string[];
  readonly comment: string;
}

/** The directives of a go.mod, with `verb ( … )` blocks expanded to one directive per line. */
function directives(text: string): Directive[] {
  const out: Directive[] = [];
  let block: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const hash = raw.indexOf('//');
    const comment = hash >= 0 ? raw.slice(hash + 2).trim() : '';
    const line = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (line === '') continue;
    if (block !== undefined) {
      if (line === ')') block = undefined;
      else out.push({ verb: block, args: line.split(/\s+/), comment });
      continue;
    }
    const [verb, ...args] = line.split(/\s+/) as [string, ...string[]];
    if (args.length === 1 && args[0] === '(') block = verb;
    else out.push({ verb, args, comment });
  }
  return out;
}

const unquote = (s: string): string => s.replace(/^"(.*)"$/, '$1');

/** go.sum: module → version, the last line for a module winning (trivy's reading), `/go.mod` suffix dropped. */
export function parseGoSum(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const [path, version] = line.trim().split(/\s+/);
    if (path === undefined || version === undefined || path === '') continue;
    out.set(path, version.replace(/\/go\.mod$/, ''));
  }
  return out;
}

/**
 * go.mod: every `require` (direct and `// indirect`) after `replace` directives. A replacement by a
 * local path, or an `exclude` of the required version, leaves no version to name: recorded as an Unknown. Before go 1.17 go.mod omits most
 * indirect modules, so the go.sum beside it fills them in, as trivy does.
 */
export function parseGoMod(text: string, goSum: string | undefined): DeclaredResult {
  const all = directives(text);
  const module = all.find((d) => d.verb === 'module')?.args[0];
  if (module === undefined) return { ok: false, reason: 'go.mod has no module directive' };
  const goVersion = all.find((d) => d.verb === 'go')?.args[0];
  const required = new Map<string, { version: string; indirect: boolean }>();
  for (const d of all) {
    if (d.verb !== 'require' || d.args.length < 2) continue;
    required.set(unquote(d.args[0] as string), { version: d.args[1] as string, indirect: /(^|;)\s*indirect\b/.test(d.comment) });
  }
  const unknowns: string[] = [];
  for (const d of all) {
    if (d.verb !== 'replace') continue;
    const arrow = d.args.indexOf('=>');
    if (arrow < 1) continue;
    const from = unquote(d.args[0] as string);
    const fromVersion = arrow === 2 ? d.args[1] : undefined;
    const to = d.args.slice(arrow + 1);
    const current = required.get(from);
    if (current === undefined || (fromVersion !== undefined && fromVersion !== current.version)) continue;
    required.delete(from);
    if (to.length >= 2) required.set(unquote(to[0] as string), { version: to[1] as string, indirect: current.indirect });
    else unknowns.push(`${from} is replaced by the local folder ${to[0] ?? '?'}: no version to name`);
  }
  for (const d of all) {
    const path = d.args[0] === undefined ? undefined : unquote(d.args[0]);
    if (d.verb !== 'exclude' || path === undefined || required.get(path)?.version !== d.args[1]) continue;
    required.delete(path);
    unknowns.push(`${path} ${d.args[1] ?? ''} is excluded: the version used instead needs the module graph`);
  }
  const [major, minor] = (goVersion ?? '').split('.').map(Number);
  const before117 = goVersion !== undefined && ((major ?? 0) < 1 || ((major ?? 0) === 1 && (minor ?? 0) < 17));
  if (before117 && goSum !== undefined) {
    for (const [path, version] of parseGoSum(goSum)) {
      if (!required.has(path) && path !== module) required.set(path, { version, indirect: true });
    }
  }
  const entries: DeclaredEntry[] = [...required].map(([path, { version, indirect }]) => ({
    name: path,
    version,
    purl: goPurl(path, version),
    metadata: { relationship: indirect ? 'indirect' : 'direct', mainModule: module },
  }));
  return { ok: true, entries, unknowns };
}
