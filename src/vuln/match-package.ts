import type { Result, Tri } from '../core/result.ts';
import { compileRange, isAffectedParsed, type CompiledRange, type OsvEvent } from '../versioning/range.ts';
import { schemeForEcosystem, type AnyVersionScheme } from '../versioning/registry.ts';
import type { VersionParseError } from '../versioning/scheme.ts';
import type { Advisory, AffectedPackage, Severity } from './advisory.ts';
import { baseOf, packageKey, releaseMatches } from './db.ts';

/** A package to look up: the ecosystem-and-release it was installed from, its name and version. */
export interface PackageQuery {
  /** "Debian:12", "Alpine:v3.19", "AlmaLinux:9", "PyPI", "npm"…; no release means "any release". */
  readonly ecosystem: string;
  readonly name: string;
  readonly version: string;
  /** The source package (Debian, Ubuntu) or origin (Alpine) when advisories are keyed by it. */
  readonly sourceName?: string | undefined;
}

/** One flaw affecting one package: advisories naming the same flaw (via aliases) are merged. */
export interface Match {
  /** The representative id: the CVE if there is one, else the smallest id. */
  readonly id: string;
  /** Every id of the merged group, sorted: advisory ids and their aliases. */
  readonly ids: readonly string[];
  /** The advisories that matched (ids of records, not aliases). */
  readonly advisories: readonly string[];
  /** 'yes' when some advisory's ranges contain the version, else 'unknown' (never 'no'). */
  readonly affected: Exclude<Tri, 'no'>;
  /** Why an 'unknown' is unknown (a version or range that does not parse, no evaluable range…). */
  readonly reasons: readonly string[];
  readonly fixed: readonly string[];
  readonly severity: readonly Severity[];
  readonly summary?: string | undefined;
  readonly related: readonly string[];
}

interface Hit {
  readonly advisory: Advisory;
  readonly affected: Exclude<Tri, 'no'>;
  readonly reason?: string;
  readonly entry: AffectedPackage;
}

function releaseOf(ecosystem: string): string | undefined {
  const colon = ecosystem.indexOf(':');
  return colon === -1 ? undefined : ecosystem.slice(colon + 1);
}

type AnyResult = Result<unknown, VersionParseError>;
type AnyCompiled = CompiledRange<unknown> | 'unknown';

/** One scheme's memo: version texts parsed once, ranges (by events array) parsed and sorted once. */
interface SchemeMemo {
  readonly parse: (text: string) => AnyResult;
  readonly compile: (events: readonly OsvEvent[]) => AnyCompiled;
}

/**
 * What a match run may reuse across packages: parsed versions per (scheme, text), compiled
 * ranges per (scheme, events array), schemes and releases per ecosystem string. Create one per
 * run (matchCatalog does) and drop it afterwards; it only grows.
 */
export interface MatchContext {
  readonly schemes: Map<string, SchemeMemo>;
  readonly ecosystems: Map<string, { readonly scheme: AnyVersionScheme | undefined; readonly release: string | undefined; readonly base: string }>;
  /** releaseMatches(package ecosystem, advisory ecosystem) by "package\0advisory". */
  readonly releases: Map<string, boolean>;
}

export function createMatchContext(): MatchContext {
  return { schemes: new Map(), ecosystems: new Map(), releases: new Map() };
}

function memoFor(ctx: MatchContext, scheme: AnyVersionScheme): SchemeMemo {
  let memo = ctx.schemes.get(scheme.id);
  if (memo === undefined) {
    const parsed = new Map<string, AnyResult>();
    const compiled = new WeakMap<readonly OsvEvent[], AnyCompiled>();
    const parse = (t: string): AnyResult => {
      let r = parsed.get(t);
      if (r === undefined) {
        r = scheme.parse(t);
        parsed.set(t, r);
      }
      return r;
    };
    const compile = (events: readonly OsvEvent[]): AnyCompiled => {
      let c = compiled.get(events);
      if (c === undefined) {
        c = compileRange(scheme, events, parse);
        compiled.set(events, c);
      }
      return c;
    };
    memo = { parse, compile };
    ctx.schemes.set(scheme.id, memo);
  }
  return memo;
}

function ecosystemInfo(ctx: MatchContext, ecosystem: string) {
  let info = ctx.ecosystems.get(ecosystem);
  if (info === undefined) {
    info = { scheme: schemeForEcosystem(ecosystem), release: releaseOf(ecosystem), base: baseOf(ecosystem) };
    ctx.ecosystems.set(ecosystem, info);
  }
  return info;
}

/** Per-call facts about the query. */
interface Prepared {
  readonly base: string;
  readonly keys: readonly string[];
  readonly release: string | undefined;
  /** The query's version parsed per scheme id. */
  readonly targets: Map<string, { ok: boolean; value?: unknown }>;
}

function prepare(query: PackageQuery): Prepared {
  const names = query.sourceName !== undefined && query.sourceName !== query.name ? [query.name, query.sourceName] : [query.name];
  return {
    base: baseOf(query.ecosystem),
    keys: names.map((n) => packageKey(query.ecosystem, n)),
    release: releaseOf(query.ecosystem),
    targets: new Map(),
  };
}

const NO = Object.freeze({ answer: 'no' as const });
const YES = Object.freeze({ answer: 'yes' as const });

function evaluate(query: PackageQuery, p: Prepared, ctx: MatchContext, entry: AffectedPackage): { answer: Tri; reason?: string } | undefined {
  const info = ecosystemInfo(ctx, entry.ecosystem);
  if (entry.ecosystem !== query.ecosystem) {
    if (info.base !== p.base) return undefined;
    const pair = `${query.ecosystem}\u0000${entry.ecosystem}`;
    let sameRelease = ctx.releases.get(pair);
    if (sameRelease === undefined) ctx.releases.set(pair, (sameRelease = releaseMatches(query.ecosystem, entry.ecosystem)));
    if (!sameRelease) return undefined;
  }
  if (entry.name !== query.name && !p.keys.includes(entry.name) && !p.keys.includes(packageKey(entry.ecosystem, entry.name))) return undefined;
  const scheme = info.scheme;
  if (scheme === undefined) return { answer: 'unknown', reason: `no version scheme for ${entry.ecosystem}` };
  const { parse, compile } = memoFor(ctx, scheme);
  let target = p.targets.get(scheme.id);
  if (target === undefined) {
    const r = parse(query.version);
    target = r.ok ? { ok: true, value: r.value } : { ok: false };
    p.targets.set(scheme.id, target);
  }
  const answer = target.ok ? isAffectedParsed(scheme, target.value, entry, query.version, parse, compile) : 'unknown';
  if (answer === 'no') return NO;
  if (answer === 'unknown') return { answer, reason: `cannot decide ${query.version} against the ranges of ${entry.ecosystem}` };
  if (answer === 'yes' && p.release === undefined && info.release !== undefined) {
    return { answer: 'unknown', reason: `advisory is for ${entry.ecosystem}; the package's release is not known` };
  }
  return YES;
}

const unique = <T>(xs: readonly T[]): T[] => (xs.length <= 1 ? [...xs] : [...new Set(xs)]);

/** The Match of a group of one hit with at most one severity (the common case), without sets. */
function single(h: Hit): Match {
  const { advisory, entry } = h;
  const ids = advisory.aliases.length === 0 ? [advisory.id] : unique([advisory.id, ...advisory.aliases]).sort();
  const sev = advisory.severity[0] ?? entry.severity[0];
  return {
    id: representative(ids),
    ids,
    advisories: [advisory.id],
    affected: h.affected,
    reasons: h.reason === undefined ? [] : [h.reason],
    fixed: unique(entry.fixed),
    severity: sev === undefined ? [] : [{ ...sev, source: `${advisory.id}:${sev.source}` }],
    summary: advisory.summary,
    related: unique(advisory.related.filter((r) => !ids.includes(r))).sort(),
  };
}

function representative(ids: readonly string[]): string {
  return ids.find((id) => id.startsWith('CVE-')) ?? ids[0] ?? '';
}

/**
 * Matches one package against candidate advisories (those the database returned for its
 * ecosystem and name): skips withdrawn records, evaluates every affected entry with the
 * ecosystem's version scheme, and merges advisories that share an id or alias into one Match.
 */
export function matchPackage(query: PackageQuery, candidates: readonly Advisory[], ctx: MatchContext = createMatchContext()): Match[] {
  const hits: Hit[] = [];
  const prepared = prepare(query);
  for (const advisory of candidates) {
    if (advisory.withdrawn !== undefined) continue;
    let best: Hit | undefined;
    for (const entry of advisory.affected) {
      const r = evaluate(query, prepared, ctx, entry);
      if (r === undefined || r.answer === 'no') continue;
      const hit: Hit = { advisory, affected: r.answer, entry, ...(r.reason !== undefined ? { reason: r.reason } : {}) };
      if (best === undefined || (best.affected === 'unknown' && hit.affected === 'yes')) best = hit;
    }
    if (best !== undefined) hits.push(best);
  }

  // Union-find over shared ids: one flaw is one finding.
  const parent = hits.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] ?? i] ?? i;
    return i;
  };
  const owner = new Map<string, number>();
  hits.forEach((hit, i) => {
    for (const id of [hit.advisory.id, ...hit.advisory.aliases]) {
      const j = owner.get(id);
      if (j === undefined) owner.set(id, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, Hit[]>();
  hits.forEach((hit, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group === undefined) groups.set(root, [hit]);
    else group.push(hit);
  });

  const matches: Match[] = [];
  for (const group of groups.values()) {
    const only = group.length === 1 ? group[0] : undefined;
    if (only !== undefined && only.advisory.severity.length + only.entry.severity.length <= 1) {
      matches.push(single(only));
      continue;
    }
    const idSet = new Set<string>();
    const advisories: string[] = [];
    const reasons = new Set<string>();
    const fixed = new Set<string>();
    const severity: Severity[] = [];
    const seen = new Set<string>();
    let affected: Match['affected'] = 'unknown';
    let summary: string | undefined;
    for (const h of group) {
      idSet.add(h.advisory.id);
      for (const alias of h.advisory.aliases) idSet.add(alias);
      advisories.push(h.advisory.id);
      if (h.affected === 'yes') affected = 'yes';
      if (h.reason !== undefined) reasons.add(h.reason);
      for (const f of h.entry.fixed) fixed.add(f);
      summary ??= h.advisory.summary;
      for (const list of [h.advisory.severity, h.entry.severity]) {
        for (const sev of list) {
          const key = `${h.advisory.id}|${sev.type}|${sev.score}`;
          if (seen.has(key)) continue;
          seen.add(key);
          severity.push({ ...sev, source: `${h.advisory.id}:${sev.source}` });
        }
      }
    }
    const related = new Set<string>();
    for (const h of group) for (const r of h.advisory.related) if (!idSet.has(r)) related.add(r);
    const ids = [...idSet].sort();
    matches.push({
      id: representative(ids),
      ids,
      advisories: advisories.sort(),
      affected,
      reasons: [...reasons],
      fixed: [...fixed],
      severity,
      summary,
      related: [...related].sort(),
    });
  }
  return matches.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
