import type { DeclaredEntry, DeclaredResult } from '../../_shared/declared.ts';
import { isJsonObject } from '../../../core/json.ts';
import { npmPurl } from './parse-package-json.ts';

const keys = (v: unknown): string[] => (isJsonObject(v) ? Object.keys(v) : []);

/** bun.lock is JSON with trailing commas (JSONC): drop the commas before a closing bracket, outside strings. */
export function stripTrailingCommas(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (c === ',') {
      const rest = /^\s*([\]}])/.exec(text.slice(i + 1, i + 200));
      if (rest !== null) continue;
    }
    out += c;
  }
  return out;
}

/**
 * bun.lock (text lockfile v0/v1): `packages` entries `[ "name@version", registry, { dependencies… }, integrity ]`;
 * only what the workspaces' dependencies, optionalDependencies and peerDependencies reach (devDependencies
 * left out, as trivy does). Keys nest ("a/b" = b under a); dependency lookups go innermost first.
 */
export function parseBunLock(text: string): DeclaredResult {
  let doc: unknown;
  try {
    doc = JSON.parse(stripTrailingCommas(text));
  } catch (error) {
    return { ok: false, reason: `invalid bun.lock: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isJsonObject(doc) || !isJsonObject(doc['packages'])) return { ok: false, reason: 'bun.lock has no packages' };
  const packages = doc['packages'];
  const byKey = new Map<string, { name: string; version: string; deps: string[] }>();
  for (const [key, raw] of Object.entries(packages)) {
    if (!Array.isArray(raw) || typeof raw[0] !== 'string') continue;
    const spec = raw[0];
    const at = spec.lastIndexOf('@');
    if (at <= 0) continue;
    const version = spec.slice(at + 1);
    if (version.startsWith('workspace:') || version === '') continue;
    const meta = raw.find((x, i) => i > 0 && isJsonObject(x));
    byKey.set(key, { name: spec.slice(0, at), version, deps: [...keys(isJsonObject(meta) ? meta['dependencies'] : undefined), ...keys(isJsonObject(meta) ? meta['optionalDependencies'] : undefined), ...keys(isJsonObject(meta) ? meta['peerDependencies'] : undefined)] });
  }
  const resolve = (from: string, dep: string): string | undefined => {
    let scope = from;
    for (;;) {
      const key = scope === '' ? dep : `${scope}/${dep}`;
      if (byKey.has(key)) return key;
      if (scope === '') return undefined;
      const cut = scope.lastIndexOf('/');
      // scoped names contain a slash: step over "@scope/name" as one segment
      const prev = cut > 0 && scope.slice(0, cut).split('/').pop()?.startsWith('@') === true ? scope.slice(0, cut).lastIndexOf('/') : cut;
      scope = prev <= 0 ? '' : scope.slice(0, prev);
    }
  };
  const roots: string[] = [];
  for (const ws of Object.values(isJsonObject(doc['workspaces']) ? doc['workspaces'] : {})) {
    if (!isJsonObject(ws)) continue;
    roots.push(...keys(ws['dependencies']), ...keys(ws['optionalDependencies']), ...keys(ws['peerDependencies']));
  }
  const reached = new Set<string>();
  const queue = roots.map((r) => resolve('', r)).filter((k): k is string => k !== undefined);
  while (queue.length > 0) {
    const key = queue.pop() as string;
    if (reached.has(key)) continue;
    reached.add(key);
    for (const dep of byKey.get(key)?.deps ?? []) {
      const target = resolve(key, dep);
      if (target !== undefined) queue.push(target);
    }
  }
  const entries: DeclaredEntry[] = [];
  for (const key of reached) {
    const p = byKey.get(key);
    if (p === undefined) continue;
    const dependsOn = p.deps.map((d) => resolve(key, d)).filter((k): k is string => k !== undefined && reached.has(k));
    entries.push({ name: p.name, version: p.version, purl: npmPurl(p.name, p.version), key, dependsOn });
  }
  return { ok: true, entries };
}
