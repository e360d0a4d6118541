import type { Result, Tri } from '../core/result.ts';
import { isAffectedPacked } from '../versioning/range.ts';
import { schemeForEcosystem, type AnyVersionScheme } from '../versioning/registry.ts';
import type { VersionParseError } from '../versioning/scheme.ts';
import { packAffected, type Advisory, type AdvisoryHead, type PackedAffected, type Severity } from './advisory.ts';
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

/** The best-matching affected entry of one advisory (by ref) for one package. */
export interface Hit {
  readonly ref: number;
  readonly affected: Exclude<Tri, 'no'>;
  readonly reason?: string;
  /** The entry's fixed versions and severities (not the entry: hits outlive their lookup batch). */
  readonly fixed: readonly string[];
  readonly severity: readonly Severity[];
}

function releaseOf(ecosystem: string): string | undefined {
  const colon = ecosystem.indexOf(':');
  return colon === -1 ? undefined : ecosystem.slice(colon + 1);
}

type AnyResult = Result<unknown, VersionParseError>;

/**
 * What a match run may reuse across packages: version texts parsed once per scheme (ranges are
 * compiled each time they are evaluated: every decoded row brings new range arrays, so a memo by
 * array missed nearly always and cost more than it saved, measured on bench/scan), schemes and
 * releases per ecosystem string. Create one per run (matchCatalog does); it only grows.
 */
export interface MatchContext {
  /** A memoising parse per scheme id. */
  readonly parsers: Map<string, (text: string) => AnyResult>;
  readonly ecosystems: Map<string, { readonly scheme: AnyVersionScheme | undefined; readonly release: string | undefined; readonly base: string }>;
  /** releaseMatches(package ecosystem, advisory ecosystem) by "package\0advisory". */
  readonly releases: Map<string, boolean>;
}

export function createMatchContext(): MatchContext {
  return { parsers: new Map(), ecosystems: new Map(), releases: new Map() };
}

function parserFor(ctx: MatchContext, scheme: AnyVersionScheme): (text: string) => AnyResult {
  let parse = ctx.parsers.get(scheme.id);
  if (parse === undefined) {
    const parsed = new Map<string, AnyResult>();
    parse = (t: string): AnyResult => {
      let r = parsed.get(t);
      if (r === undefined) {
        r = scheme.parse(t);
        parsed.set(t, r);
      }
      return r;
    };
    ctx.parsers.set(scheme.id, parse);
  }
  return parse;
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

function evaluate(query: PackageQuery, p: Prepared, ctx: MatchContext, entry: PackedAffected): { answer: Tri; reason?: string } | undefined {
  // Index access, not destructuring: this runs per entry, and cold code iterates to destructure.
  const ecosystem = entry[1];
  const name = entry[2];
  const info = ecosystemInfo(ctx, ecosystem);
  if (ecosystem !== query.ecosystem) {
    if (info.base !== p.base) return undefined;
    const pair = `${query.ecosystem}\u0000${ecosystem}`;
    let sameRelease = ctx.releases.get(pair);
    if (sameRelease === undefined) ctx.releases.set(pair, (sameRelease = releaseMatches(query.ecosystem, ecosystem)));
    if (!sameRelease) return undefined;
  }
  if (name !== query.name && !p.keys.includes(name) && !p.keys.includes(packageKey(ecosystem, name))) return undefined;
  const scheme = info.scheme;
  if (scheme === undefined) return { answer: 'unknown', reason: `no version scheme for ${ecosystem}` };
  const parse = parserFor(ctx, scheme);
  let target = p.targets.get(scheme.id);
  if (target === undefined) {
    const r = parse(query.version);
    target = r.ok ? { ok: true, value: r.value } : { ok: false };
    p.targets.set(scheme.id, target);
  }
  const answer = target.ok ? isAffectedPacked(scheme, target.value, entry[3], entry[4], query.version, parse) : 'unknown';
  if (answer === 'no') return NO;
  if (answer === 'unknown') return { answer, reason: `cannot decide ${query.version} against the ranges of ${ecosystem}` };
  if (answer === 'yes' && p.release === undefined && info.release !== undefined) {
    return { answer: 'unknown', reason: `advisory is for ${ecosystem}; the package's release is not known` };
  }
  return YES;
}

/** xs without repeats, first occurrences kept (lists here are short: a loop beats a Set). */
function unique<T>(xs: readonly T[]): T[] {
  const out: T[] = [];
  for (const x of xs) if (!out.includes(x)) out.push(x);
  return out;
}

/** The advisory's id and aliases, once each, sorted. */
function idsOf(head: AdvisoryHead): string[] {
  if (head.aliases.length === 0) return [head.id];
  const ids = unique(head.aliases);
  if (!ids.includes(head.id)) ids.push(head.id);
  return ids.sort();
}

interface HeadHit {
  readonly head: AdvisoryHead;
  readonly hit: Hit;
}

/** The Match of a group of one hit with at most one severity (the common case), without sets. */
function single({ head, hit }: HeadHit): Match {
  const ids = idsOf(head);
  const sev = head.severity[0] ?? hit.severity[0];
  const related: string[] = [];
  for (const r of head.related) if (!ids.includes(r) && !related.includes(r)) related.push(r);
  return {
    id: representative(ids),
    ids,
    advisories: [head.id],
    affected: hit.affected,
    reasons: hit.reason === undefined ? [] : [hit.reason],
    fixed: unique(hit.fixed),
    severity: sev === undefined ? [] : [{ type: sev.type, score: sev.score, source: `${head.id}:${sev.source}` }],
    summary: head.summary,
    related: related.sort(),
  };
}

function representative(ids: readonly string[]): string {
  return ids.find((id) => id.startsWith('CVE-')) ?? ids[0] ?? '';
}

/**
 * Evaluates one package against its candidate entries (those the database holds for its
 * ecosystem and name) with the ecosystem's version scheme: the best hit per advisory ref ('yes'
 * over 'unknown', else the first), in first-seen order. Advisory heads are not needed yet.
 */
export function evaluateEntries(query: PackageQuery, entries: readonly PackedAffected[], ctx: MatchContext = createMatchContext()): Hit[] {
  const prepared = prepare(query);
  const best = new Map<number, Hit>();
  for (const entry of entries) {
    const r = evaluate(query, prepared, ctx, entry);
    if (r === undefined || r.answer === 'no') continue;
    const ref = entry[0];
    const seen = best.get(ref);
    if (seen !== undefined && !(seen.affected === 'unknown' && r.answer === 'yes')) continue;
    const hit: Hit =
      r.reason === undefined
        ? { ref, affected: r.answer, fixed: entry[5], severity: entry[6] }
        : { ref, affected: r.answer, fixed: entry[5], severity: entry[6], reason: r.reason };
    best.set(ref, hit);
  }
  return Array.from(best.values());
}

const byHeadId = (a: HeadHit, b: HeadHit): number => (a.head.id < b.head.id ? -1 : a.head.id > b.head.id ? 1 : 0);

/**
 * The findings of one package's hits: withdrawn advisories skipped (and hits whose head is
 * missing), advisories that share an id or alias merged into one Match (one flaw, one finding).
 */
export function mergeHits(hits: readonly Hit[], heads: ReadonlyMap<number, AdvisoryHead>): Match[] {
  const live: HeadHit[] = [];
  for (const hit of hits) {
    const head = heads.get(hit.ref);
    if (head !== undefined && head.withdrawn === undefined) live.push({ head, hit });
  }
  const only = live.length === 1 ? live[0] : undefined;
  if (only !== undefined && only.head.severity.length + only.hit.severity.length <= 1) return [single(only)];
  live.sort(byHeadId);

  // Union-find over shared ids: one flaw is one finding.
  const parent = live.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] ?? i] ?? i;
    return i;
  };
  const owner = new Map<string, number>();
  const own = (id: string, i: number): void => {
    const j = owner.get(id);
    if (j === undefined) owner.set(id, i);
    else parent[find(i)] = find(j);
  };
  live.forEach(({ head }, i) => {
    own(head.id, i);
    for (const alias of head.aliases) own(alias, i);
  });
  const groups = new Map<number, HeadHit[]>();
  live.forEach((h, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group === undefined) groups.set(root, [h]);
    else group.push(h);
  });

  const matches: Match[] = [];
  for (const group of groups.values()) {
    const only = group.length === 1 ? group[0] : undefined;
    if (only !== undefined && only.head.severity.length + only.hit.severity.length <= 1) {
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
    for (const { head, hit } of group) {
      idSet.add(head.id);
      for (const alias of head.aliases) idSet.add(alias);
      advisories.push(head.id);
      if (hit.affected === 'yes') affected = 'yes';
      if (hit.reason !== undefined) reasons.add(hit.reason);
      for (const f of hit.fixed) fixed.add(f);
      summary ??= head.summary;
      for (const list of [head.severity, hit.severity]) {
        for (const sev of list) {
          const key = `${head.id}|${sev.type}|${sev.score}`;
          if (seen.has(key)) continue;
          seen.add(key);
          severity.push({ ...sev, source: `${head.id}:${sev.source}` });
        }
      }
    }
    const related = new Set<string>();
    for (const { head } of group) for (const r of head.related) if (!idSet.has(r)) related.add(r);
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

/** Advisories as a match source: entries packed with the advisory's index as ref, heads by index. */
function packAdvisories(advisories: readonly Advisory[]): { entries: PackedAffected[]; heads: Map<number, AdvisoryHead> } {
  const entries: PackedAffected[] = [];
  const heads = new Map<number, AdvisoryHead>();
  advisories.forEach((advisory, ref) => {
    heads.set(ref, advisory);
    for (const entry of advisory.affected) entries.push(packAffected(ref, entry));
  });
  return { entries, heads };
}

/**
 * Matches one package against candidate advisories (those the database returned for its
 * ecosystem and name): skips withdrawn records, evaluates every affected entry with the
 * ecosystem's version scheme, and merges advisories that share an id or alias into one Match.
 */
export function matchPackage(query: PackageQuery, candidates: readonly Advisory[], ctx: MatchContext = createMatchContext()): Match[] {
  const { entries, heads } = packAdvisories(candidates);
  return mergeHits(evaluateEntries(query, entries, ctx), heads);
}
