/**
 * Matching a catalogue (pure): catalogued packages × advisories → findings. Builds on
 * match-package.ts (one package × candidate advisories: withdrawn skipped, three-valued
 * membership, aliases merged by union-find) and adds:
 *
 * - the lookup key of each package: OS packages in the ecosystem-and-release of the image's distro
 *   ("Debian:12", "Alpine:v3.19", "AlmaLinux:9"), by SOURCE package and source version for
 *   Debian/Ubuntu, by origin for Alpine; language packages by purl type → OSV ecosystem;
 * - packages that cannot be looked up at all (unknown distro release…) as gaps, never dropped;
 * - severity ratings computed from CVSS v3.x / v4 vectors and ecosystem words, with their source.
 */
import { PackageURL } from 'packageurl-js';
import type { Distro, Package } from '../catalog/model.ts';
import { packAffected, type Advisory, type AdvisoryHead, type PackedAffected, type Severity } from './advisory.ts';
import { createMatchContext, evaluateEntries, mergeHits, type Hit, type Match, type MatchContext } from './match-package.ts';
import { pickRating, rate, type Rating, type SeverityLevel } from './severity.ts';

/** Advisories with an affected entry for (base ecosystem of `ecosystem`, name): the VulnDb's advisoriesFor. */
export type AdvisoryLookup = (ecosystem: string, name: string) => readonly Advisory[];

/**
 * What matching reads from the database (the VulnDb implements it): per name, the packed
 * affected entries (one call per ecosystem and batch of names), and the heads of the advisories
 * whose entries matched, fetched once after every package was evaluated.
 */
export interface MatchSource {
  matchEntriesForMany(ecosystem: string, names: readonly string[]): ReadonlyMap<string, readonly PackedAffected[]>;
  advisoryHeads(refs: readonly number[]): ReadonlyMap<number, AdvisoryHead>;
}

/** A per-name advisory lookup as a MatchSource: each distinct advisory object gets a ref. */
export function lookupSource(lookup: AdvisoryLookup): MatchSource {
  const refs = new Map<Advisory, number>();
  const heads = new Map<number, AdvisoryHead>();
  return {
    matchEntriesForMany(ecosystem, names) {
      const out = new Map<string, PackedAffected[]>();
      for (const name of names) {
        const entries: PackedAffected[] = [];
        for (const advisory of lookup(ecosystem, name)) {
          let ref = refs.get(advisory);
          if (ref === undefined) {
            refs.set(advisory, (ref = refs.size));
            heads.set(ref, advisory);
          }
          for (const entry of advisory.affected) entries.push(packAffected(ref, entry));
        }
        out.set(name, entries);
      }
      return out;
    },
    advisoryHeads: () => heads,
  };
}

/** How a package is looked up: the ecosystem-and-release, the name advisories use, the version to test. */
export interface MatchKey {
  readonly ecosystem: string;
  readonly name: string;
  readonly version: string;
  readonly by: 'name' | 'source' | 'origin';
}

export interface Finding {
  /** The finding's id: a CVE when the flaw has one, else the first advisory id. */
  readonly id: string;
  /** Every id naming this flaw (advisory ids and aliases), sorted. */
  readonly aliases: readonly string[];
  /** The advisory records that matched. */
  readonly advisories: readonly string[];
  readonly packageId: string;
  readonly packageName: string;
  readonly version: string;
  readonly purl: string;
  readonly match: MatchKey;
  readonly affected: 'yes' | 'unknown';
  /** Why 'unknown' (unparseable version, no scheme…). */
  readonly reason?: string;
  readonly fixed: readonly string[];
  readonly severity: SeverityLevel;
  /** The rating the severity came from (undefined when nothing rated the flaw). */
  readonly rating?: Rating;
  readonly ratings: readonly Rating[];
  readonly summary?: string;
}

/** A package that could not be looked up at all (no ecosystem for its distro, unreadable purl). */
export interface MatchGap {
  readonly packageId: string;
  readonly reason: string;
}

export interface MatchResult {
  readonly findings: readonly Finding[];
  readonly gaps: readonly MatchGap[];
  readonly stats: { readonly packages: number; readonly lookups: number; readonly advisories: number };
}

const PURL_ECOSYSTEMS: Readonly<Record<string, string>> = {
  npm: 'npm',
  pypi: 'PyPI',
  golang: 'Go',
  maven: 'Maven',
  gem: 'RubyGems',
  cargo: 'crates.io',
  nuget: 'NuGet',
  composer: 'Packagist',
  hex: 'Hex',
  pub: 'Pub',
  swift: 'SwiftURL',
  cran: 'CRAN',
  hackage: 'Hackage',
  conan: 'ConanCenter',
};

const majorOf = (v: string): string => v.split('.')[0] ?? v;

/** Names per batched lookup: enough to amortise the query, few enough to keep little alive at once. */
const LOOKUP_CHUNK = 128;

/** The OSV ecosystem-and-release of a distro, or a reason why there is none. */
export function distroEcosystem(distro: Distro | undefined): { ecosystem: string } | { gap: string } {
  if (distro === undefined) return { gap: 'the distro is not known (no /etc/os-release)' };
  const v = distro.versionId;
  const needVersion = (name: string, release: (v: string) => string): { ecosystem: string } | { gap: string } =>
    v === undefined || v === '' ? { gap: `the ${distro.id} release is not known (no VERSION_ID)` } : { ecosystem: `${name}:${release(v)}` };
  switch (distro.id) {
    case 'debian':
      return needVersion('Debian', majorOf);
    case 'ubuntu':
      return needVersion('Ubuntu', (x) => x);
    case 'alpine':
      return needVersion('Alpine', (x) => `v${x.split('.').slice(0, 2).join('.')}`);
    case 'almalinux':
      return needVersion('AlmaLinux', majorOf);
    case 'rocky':
      return needVersion('Rocky Linux', majorOf);
    case 'rhel':
      return needVersion('Red Hat', majorOf);
    case 'wolfi':
      return { ecosystem: 'Wolfi' };
    case 'chainguard':
      return { ecosystem: 'Chainguard' };
    case 'opensuse-leap':
      return needVersion('openSUSE:Leap', (x) => x);
    case 'mageia':
      return needVersion('Mageia', (x) => x);
    default:
      return { gap: `no OSV ecosystem is known for distro "${distro.id}"` };
  }
}

/** The lookup key of one package, a gap, or undefined when there is nothing to look up by (generic/binary). */
export function matchKey(pkg: Package, distro: Distro | undefined): MatchKey | { gap: string } | undefined {
  if (pkg.ecosystem === 'deb' || pkg.ecosystem === 'apk' || pkg.ecosystem === 'rpm') {
    const eco = distroEcosystem(distro);
    if ('gap' in eco) return eco;
    if (pkg.ecosystem === 'rpm') {
      const epoch = pkg.metadata?.['epoch'];
      const version = epoch !== undefined && epoch !== '' && epoch !== '0' && !pkg.version.includes(':') ? `${epoch}:${pkg.version}` : pkg.version;
      return { ecosystem: eco.ecosystem, name: pkg.source?.name ?? pkg.name, version, by: pkg.source === undefined ? 'name' : 'source' };
    }
    if (pkg.source === undefined) return { ecosystem: eco.ecosystem, name: pkg.name, version: pkg.version, by: 'name' };
    // Debian/Ubuntu key advisories by source package and source version; Alpine by origin.
    return { ecosystem: eco.ecosystem, name: pkg.source.name, version: pkg.source.version ?? pkg.version, by: pkg.ecosystem === 'apk' ? 'origin' : 'source' };
  }
  if (pkg.purl === '') return undefined;
  let purl: PackageURL;
  try {
    purl = PackageURL.fromString(pkg.purl);
  } catch (cause) {
    void cause; // reported as a gap below
    return { gap: `unreadable purl "${pkg.purl}"` };
  }
  const ecosystem = PURL_ECOSYSTEMS[purl.type];
  if (ecosystem === undefined) return undefined;
  const ns = purl.namespace ?? '';
  let name = purl.name;
  if (purl.type === 'maven') name = `${ns}:${purl.name}`;
  else if (ns !== '' && (purl.type === 'npm' || purl.type === 'golang' || purl.type === 'composer' || purl.type === 'swift')) name = `${ns}/${purl.name}`;
  return { ecosystem, name, version: purl.version ?? pkg.version, by: 'name' };
}

/** What one matchCatalog run reuses across packages: parsed versions, ratings. */
export interface MatchRun {
  readonly ctx: MatchContext;
  /** rate() results by "type\0vector" (rate is pure; the source is set per use). */
  readonly ratings: Map<string, Rating>;
}

/** The findings of one package (with its key) from its merged matches. */
export function findingsOf(pkg: Package, key: MatchKey, matches: readonly Match[], run?: MatchRun): Finding[] {
  // The score depends on the vector alone; the source (advisory id and place) differs per advisory,
  // so the computed rating is remembered per (type, vector) and given each advisory's source.
  const rated = (s: Severity): Rating => {
    if (run === undefined) return rate(s);
    const memoKey = `${s.type}\u0000${s.score}`;
    let r = run.ratings.get(memoKey);
    if (r === undefined) run.ratings.set(memoKey, (r = rate(s)));
    return r.source === s.source ? r : withSource(r, s.source);
  };
  const out: Finding[] = [];
  for (const m of matches) {
    const ratings = m.severity.map(rated);
    const rating = pickRating(ratings);
    // Built field by field (no spreads): this runs once per finding.
    const finding: Draft<Finding> = {
      id: m.id,
      aliases: m.ids,
      advisories: m.advisories,
      packageId: pkg.id,
      packageName: pkg.name,
      version: key.version,
      purl: pkg.purl,
      match: key,
      affected: m.affected,
      fixed: m.fixed,
      severity: rating?.level ?? 'unknown',
      ratings,
    };
    if (m.affected === 'unknown' && m.reasons.length > 0) finding.reason = m.reasons.join('; ');
    if (rating !== undefined) finding.rating = rating;
    if (m.summary !== undefined) finding.summary = m.summary;
    out.push(finding);
  }
  return out;
}

type Draft<T> = { -readonly [K in keyof T]: T[K] };

function withSource(r: Rating, source: string): Rating {
  const copy: Draft<Rating> = { level: r.level, type: r.type, vector: r.vector, source, method: r.method };
  if (r.score !== undefined) copy.score = r.score;
  return copy;
}

/**
 * Matches a whole catalogue in two passes: every package is evaluated against the packed entries
 * of its (ecosystem, name), fetched in batches of names per ecosystem in first-use order and
 * dropped after their last use; then the heads of the advisories that matched are fetched in one
 * go and each package's hits are merged into findings, in package order. Parsed versions are
 * shared across the run.
 */
export function matchCatalog(
  input: { readonly packages: readonly Package[]; readonly distro?: Distro | undefined },
  lookup: AdvisoryLookup | MatchSource,
): MatchResult {
  const source = typeof lookup === 'function' ? lookupSource(lookup) : lookup;
  const gaps: MatchGap[] = [];
  const run: MatchRun = { ctx: createMatchContext(), ratings: new Map() };
  const keys = input.packages.map((pkg) => matchKey(pkg, input.distro));
  const cache = new Map<string, readonly PackedAffected[]>();
  const lastUse = new Map<string, number>();
  const queue = new Map<string, { names: string[]; next: number }>();
  keys.forEach((key, i) => {
    if (key === undefined || 'gap' in key) return;
    const cacheKey = `${key.ecosystem}\u0000${key.name}`;
    if (!lastUse.has(cacheKey)) {
      const q = queue.get(key.ecosystem);
      if (q === undefined) queue.set(key.ecosystem, { names: [key.name], next: 0 });
      else q.names.push(key.name);
    }
    lastUse.set(cacheKey, i);
  });
  const fetch = (ecosystem: string, name: string): readonly PackedAffected[] => {
    const q = queue.get(ecosystem);
    const chunk = q === undefined ? [name] : q.names.slice(q.next, q.next + LOOKUP_CHUNK);
    if (q !== undefined) q.next += chunk.length;
    if (!chunk.includes(name)) chunk.push(name);
    const found = source.matchEntriesForMany(ecosystem, chunk);
    for (const n of chunk) cache.set(`${ecosystem}\u0000${n}`, found.get(n) ?? []);
    return found.get(name) ?? [];
  };
  let advisories = 0;
  let lookups = 0;
  const pending: { pkg: Package; key: MatchKey; hits: Hit[] }[] = [];
  const refs = new Set<number>();
  input.packages.forEach((pkg, i) => {
    const key = keys[i];
    if (key === undefined) return;
    if ('gap' in key) {
      gaps.push({ packageId: pkg.id, reason: key.gap });
      return;
    }
    const cacheKey = `${key.ecosystem}\u0000${key.name}`;
    let found = cache.get(cacheKey);
    if (found === undefined) {
      found = fetch(key.ecosystem, key.name);
      cache.set(cacheKey, found);
    }
    if (lastUse.get(cacheKey) === i) {
      cache.delete(cacheKey);
      lookups++;
      advisories += new Set(found.map((e) => e[0])).size;
    }
    // By the key's name only: advisories keyed by source/origin must not also match a same-named
    // binary package of another source.
    const hits = evaluateEntries({ ecosystem: key.ecosystem, name: key.name, version: key.version }, found, run.ctx);
    if (hits.length === 0) return;
    pending.push({ pkg, key, hits });
    for (const hit of hits) refs.add(hit.ref);
  });
  const heads = refs.size === 0 ? new Map<number, AdvisoryHead>() : source.advisoryHeads([...refs]);
  const findings: Finding[] = [];
  for (const { pkg, key, hits } of pending) findings.push(...findingsOf(pkg, key, mergeHits(hits, heads), run));
  return { findings, gaps, stats: { packages: input.packages.length, lookups, advisories } };
}
