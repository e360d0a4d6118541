import { listedOutsideRanges, packRange, unpackRange, type OsvRange, type PackedRange } from '../versioning/range.ts';
import { schemeForEcosystem } from '../versioning/registry.ts';

/** A severity with where it came from: a CVSS vector, or an ecosystem's own rating. */
export interface Severity {
  /** 'CVSS_V2' | 'CVSS_V3' | 'CVSS_V4' | 'Ubuntu' | 'ecosystem' … as OSV names them. */
  readonly type: string;
  /** The CVSS vector, or the ecosystem's word ("HIGH", "Important"). */
  readonly score: string;
  /** Where the rating came from: 'osv' (top-level severity), 'affected', 'database_specific', the feed id. */
  readonly source: string;
}

/** One (ecosystem, package) an advisory affects, with the ranges to test versions against. */
export interface AffectedPackage {
  /** The OSV ecosystem string as published: "Debian:12", "Alpine:v3.19", "PyPI". */
  readonly ecosystem: string;
  readonly name: string;
  readonly purl?: string | undefined;
  readonly ranges: readonly OsvRange[];
  readonly versions: readonly string[];
  /** Every `fixed` event version, in event order (what to upgrade to). */
  readonly fixed: readonly string[];
  readonly severity: readonly Severity[];
}

/** One advisory, normalised from any feed. Pure data: no I/O, JSON-serialisable. */
export interface Advisory {
  readonly id: string;
  /** The feed that produced it ('osv', 'alpine-secdb', 'nodejs-security-wg'). */
  readonly feed: string;
  readonly modified?: string | undefined;
  readonly published?: string | undefined;
  readonly withdrawn?: string | undefined;
  readonly summary?: string | undefined;
  /** Ids naming the same flaw (CVE ↔ GHSA ↔ distro ids), per OSV `aliases`. */
  readonly aliases: readonly string[];
  /** Ids of related but distinct records (OSV `related`, CVEs an errata covers). */
  readonly related: readonly string[];
  readonly severity: readonly Severity[];
  readonly affected: readonly AffectedPackage[];
}

/** What a finding shows of an advisory (and what matching needs of it besides the entries). */
export type AdvisoryHead = Pick<Advisory, 'id' | 'aliases' | 'related' | 'severity' | 'summary' | 'withdrawn'>;

/** An AdvisoryHead packed for storage: [id, aliases, related, severity, summary | null, withdrawn | null]. */
export type PackedHead = readonly [id: string, aliases: readonly string[], related: readonly string[], severity: readonly Severity[], summary: string | null, withdrawn: string | null];

export function packHead(a: AdvisoryHead): PackedHead {
  return [a.id, a.aliases, a.related, a.severity, a.summary ?? null, a.withdrawn ?? null];
}

export function unpackHead(h: PackedHead): AdvisoryHead {
  const [id, aliases, related, severity, summary, withdrawn] = h;
  return { id, aliases, related, severity, summary: summary ?? undefined, withdrawn: withdrawn ?? undefined };
}

/**
 * An affected entry as matching reads it, packed (an array per entry, ranges as PackedRange):
 * [advisory ref, ecosystem, name, ranges, versions, fixed, severity, purl?]. The ref names the
 * advisory within one lookup source (the database's advisory key); its head is fetched only
 * when the entry matched. Decoding arrays from JSON makes a fraction of the objects the OSV form
 * does, and the matcher needs no other form.
 */
export type PackedAffected = readonly [
  ref: number,
  ecosystem: string,
  name: string,
  ranges: readonly PackedRange[],
  versions: readonly string[],
  fixed: readonly string[],
  severity: readonly Severity[],
  purl?: string,
];

export function packAffected(ref: number, p: AffectedPackage): PackedAffected {
  const packed = [ref, p.ecosystem, p.name, p.ranges.map(packRange), p.versions, p.fixed, p.severity] as const;
  return p.purl === undefined ? packed : [...packed, p.purl];
}

export function unpackAffected(e: PackedAffected): AffectedPackage {
  const [, ecosystem, name, ranges, versions, fixed, severity, purl] = e;
  return { ecosystem, name, ...(purl !== undefined ? { purl } : {}), ranges: ranges.map(unpackRange), versions, fixed, severity };
}

/**
 * Version of the matching form below and of what it depends on: the version schemes' ordering
 * (versioning/schemes). A database records the version it was built with, and one built under another
 * is refused (vuln-db/sqlite.ts): entries left out under the old ordering could be wrong under the new.
 * Bump it with any change to a scheme's compare or parse, or to forMatching.
 */
export const MATCHING_FORM_VERSION = 1;

/**
 * The entry as matching stores it: listed versions that the entry's own ECOSYSTEM/SEMVER ranges
 * already contain are left out (listedOutsideRanges: exact, ranges compiled once per entry).
 * OSV records of some ecosystems (PyPI) list every affected version: the shared corpus's 141,246
 * listed versions are all but 29 inside the ranges, and each one left in costs a parse and a
 * compare whenever a package is not in the ranges. The entry itself when nothing is left out.
 */
export function forMatching(entry: PackedAffected): PackedAffected {
  const listed = entry[4];
  if (listed.length === 0) return entry;
  const scheme = schemeForEcosystem(entry[1]);
  if (scheme === undefined) return entry;
  const kept = listedOutsideRanges(scheme, entry[3], listed);
  if (kept === listed) return entry;
  const out = [...entry] as [...PackedAffected];
  out[4] = kept;
  return out as PackedAffected;
}

/** What one input file yielded: advisories, or a reason it was skipped (recorded, never silent). */
export type FeedItem =
  | { readonly kind: 'advisories'; readonly advisories: readonly Advisory[] }
  | { readonly kind: 'skipped'; readonly reason: string };

/** A feed adapter: recognises and normalises one input format. Pure: gets parsed JSON/YAML values. */
export interface Feed {
  readonly id: string;
  /** Cheap structural test on a parsed document. */
  accepts(doc: unknown): boolean;
  normalise(doc: unknown): FeedItem;
}

export function fixedVersions(ranges: readonly OsvRange[]): string[] {
  const out: string[] = [];
  for (const range of ranges) for (const e of range.events) if (e.fixed !== undefined && !out.includes(e.fixed)) out.push(e.fixed);
  return out;
}
