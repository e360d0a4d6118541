import type { Result } from '../core/result.ts';
import type { Ordering, Tri, VersionParseError, VersionScheme } from './scheme.ts';

/** One OSV range event, as it appears in OSV JSON (exactly one key set). */
export interface OsvEvent {
  readonly introduced?: string;
  readonly fixed?: string;
  readonly last_affected?: string;
  readonly limit?: string;
}

export interface OsvRange {
  readonly type: string; // 'ECOSYSTEM' | 'SEMVER' | 'GIT'
  readonly events: readonly OsvEvent[];
}

/** The parts of an OSV `affected[]` entry that decide membership. */
export interface AffectedVersions {
  readonly ranges?: readonly OsvRange[] | undefined;
  readonly versions?: readonly string[] | undefined;
}

type Kind = 'introduced' | 'fixed' | 'last_affected' | 'limit';
const KIND_ORDER: Readonly<Record<Kind, number>> = { introduced: 0, last_affected: 1, fixed: 2, limit: 3 };

/**
 * A range packed for storage and matching: its type, then one (kind letter, version text) pair per
 * event in event order, 'i' introduced, 'f' fixed, 'l' last_affected, 'm' limit, '?' an event with
 * none of these keys. ["ECOSYSTEM", "i", "0", "f", "1.2.3"]. Flat string arrays decode from JSON
 * with one object per range instead of one per event, and matching reads them as they are.
 */
export type PackedRange = readonly string[];

const KIND_LETTERS: Readonly<Record<string, Kind>> = { i: 'introduced', f: 'fixed', l: 'last_affected', m: 'limit' };

export function packRange(range: OsvRange): PackedRange {
  const out: string[] = [range.type];
  for (const event of range.events) {
    if (event.introduced !== undefined) out.push('i', event.introduced);
    else if (event.fixed !== undefined) out.push('f', event.fixed);
    else if (event.last_affected !== undefined) out.push('l', event.last_affected);
    else if (event.limit !== undefined) out.push('m', event.limit);
    else out.push('?', '');
  }
  return out;
}

/** The OSV form of a packed range (a malformed event comes back as an empty object). */
export function unpackRange(packed: PackedRange): OsvRange {
  const events: OsvEvent[] = [];
  for (let i = 1; i + 1 < packed.length; i += 2) {
    const kind = KIND_LETTERS[packed[i] ?? ''];
    events.push(kind === undefined ? {} : { [kind]: packed[i + 1] ?? '' });
  }
  return { type: packed[0] ?? '', events };
}

interface ParsedEvent<V> {
  readonly kind: Kind;
  /** undefined for the "0" sentinel of `introduced` (earliest possible version). */
  readonly version: V | undefined;
}

/** A range's events parsed and sorted once, to test many versions against (see compileRange). */
interface CompiledRange<V> {
  readonly limits: readonly (V | undefined)[];
  readonly sorted: readonly ParsedEvent<V>[];
}

/**
 * Parses and sorts a range's events once: 'unknown' when an event is malformed or its version
 * does not parse (then every version's answer is 'unknown').
 */
function compileRange<V>(
  scheme: VersionScheme<V>,
  events: readonly OsvEvent[],
  parse: (text: string) => Result<V, VersionParseError> = (text) => scheme.parse(text),
): CompiledRange<V> | 'unknown' {
  return compilePacked(scheme, packRange({ type: '', events }), parse);
}

/** compileRange for a packed range (its type at index 0 is not looked at). */
function compilePacked<V>(
  scheme: VersionScheme<V>,
  packed: PackedRange,
  parse: (text: string) => Result<V, VersionParseError> = (text) => scheme.parse(text),
): CompiledRange<V> | 'unknown' {
  // The common shape, [introduced "0", fixed X]: already in order, nothing to sort.
  if (packed.length === 5 && packed[1] === 'i' && packed[2] === '0' && packed[3] === 'f') {
    const fixed = parse(packed[4] ?? '');
    if (!fixed.ok) return 'unknown';
    return { limits: [], sorted: [{ kind: 'introduced', version: undefined }, { kind: 'fixed', version: fixed.value }] };
  }
  const parsed: ParsedEvent<V>[] = [];
  for (let i = 1; i + 1 < packed.length; i += 2) {
    const kind = KIND_LETTERS[packed[i] ?? ''];
    const text = packed[i + 1] ?? '';
    if (kind === undefined) return 'unknown';
    if (kind === 'introduced' && text === '0') {
      parsed.push({ kind: 'introduced', version: undefined });
      continue;
    }
    if (kind === 'limit' && text === '*') continue;
    const v = parse(text);
    if (!v.ok) return 'unknown';
    parsed.push({ kind, version: v.value });
  }
  const cmp = compareOrEarliest(scheme);
  return {
    limits: parsed.filter((e) => e.kind === 'limit').map((e) => e.version),
    sorted: parsed.filter((e) => e.kind !== 'limit').sort((a, b) => cmp(a.version, b.version) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]),
  };
}

function compareOrEarliest<V>(scheme: VersionScheme<V>): (a: V | undefined, b: V | undefined) => Ordering {
  return (a, b) => {
    if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
    return scheme.compare(a, b);
  };
}

/** Evaluates a compiled range for a parsed version (the OSV algorithm; see isInRange). */
function isInCompiledRange<V>(scheme: VersionScheme<V>, target: V, range: CompiledRange<V>): Tri {
  // An undefined event version is the earliest version ("introduced 0"): below any target.
  if (range.limits.length > 0 && !range.limits.some((l) => l !== undefined && scheme.compare(target, l) < 0)) return 'no';
  let affected = false;
  for (const event of range.sorted) {
    const c = event.version === undefined ? 1 : scheme.compare(target, event.version);
    if (event.kind === 'introduced' && c >= 0) affected = true;
    else if (event.kind === 'fixed' && c >= 0) affected = false;
    else if (event.kind === 'last_affected' && c > 0) affected = false;
  }
  return affected ? 'yes' : 'no';
}

/**
 * Evaluates one ECOSYSTEM/SEMVER range for a parsed version, per the OSV spec's algorithm:
 * events sorted by version; introduced ≤ v → affected; fixed ≤ v → not; last_affected < v → not;
 * limit events (if any) cap the range: v must be below one of them.
 * Any event version that does not parse makes the answer 'unknown'.
 */
export function isInRange<V>(
  scheme: VersionScheme<V>,
  target: V,
  events: readonly OsvEvent[],
  parse: (text: string) => Result<V, VersionParseError> = (text) => scheme.parse(text),
): Tri {
  const compiled = compileRange(scheme, events, parse);
  return compiled === 'unknown' ? 'unknown' : isInCompiledRange(scheme, target, compiled);
}

/**
 * Three-valued membership of `version` in an OSV affected entry: 'yes' if a range or the
 * `versions` list contains it; 'unknown' if the version or any relevant event does not parse,
 * or if the entry has nothing we can evaluate (e.g. only GIT ranges); 'no' only when every
 * range was evaluated and none contains it. Never 'no' on a parse failure.
 */
export function isAffected<V>(scheme: VersionScheme<V>, version: string, affected: AffectedVersions): Tri {
  const target = scheme.parse(version);
  if (!target.ok) return 'unknown';
  return isAffectedParsed(scheme, target.value, affected, version);
}

/** isAffected once `version` parsed: the OSV-form ranges packed, then isAffectedPacked. */
function isAffectedParsed<V>(scheme: VersionScheme<V>, target: V, affected: AffectedVersions, text: string): Tri {
  return isAffectedPacked(scheme, target, (affected.ranges ?? []).map(packRange), affected.versions ?? [], text);
}

/**
 * isAffected for a parsed version and packed ranges (what matching runs). `text` is the version as
 * written (a listed version equal to it answers 'yes' without a parse); `parse` may memoise
 * scheme.parse across calls (event and listed versions recur a lot).
 */
export function isAffectedPacked<V>(
  scheme: VersionScheme<V>,
  target: V,
  ranges: readonly PackedRange[],
  listed: readonly string[],
  text?: string,
  parse: (text: string) => Result<V, VersionParseError> = (t) => scheme.parse(t),
): Tri {
  let evaluated = false;
  let unknown = false;
  if (text !== undefined && listed.includes(text)) return 'yes';
  for (const range of ranges) {
    const type = range[0];
    if (type !== 'ECOSYSTEM' && type !== 'SEMVER') continue;
    evaluated = true;
    const compiled = compilePacked(scheme, range, parse);
    const answer = compiled === 'unknown' ? 'unknown' : isInCompiledRange(scheme, target, compiled);
    if (answer === 'yes') return 'yes';
    if (answer === 'unknown') unknown = true;
  }
  for (const version of listed) {
    evaluated = true;
    const v = parse(version);
    if (!v.ok) unknown = true;
    else if (scheme.compare(v.value, target) === 0) return 'yes';
  }
  if (!evaluated || unknown) return 'unknown';
  return 'no';
}

/**
 * The listed versions an entry still needs once its ECOSYSTEM/SEMVER `ranges` are tested: those
 * the ranges do not contain (or cannot decide) and those that do not parse. Exact: membership in
 * a range depends only on how a version compares with the events, so a version equal (under the
 * scheme) to a dropped listed one is inside the ranges too. Each range is compiled once for all
 * listed versions. Returns `listed` itself when every version stays.
 */
export function listedOutsideRanges<V>(scheme: VersionScheme<V>, ranges: readonly PackedRange[], listed: readonly string[]): readonly string[] {
  if (listed.length === 0) return listed;
  const compiled: CompiledRange<V>[] = [];
  for (const range of ranges) {
    if (range[0] !== 'ECOSYSTEM' && range[0] !== 'SEMVER') continue;
    const c = compilePacked(scheme, range);
    if (c !== 'unknown') compiled.push(c);
  }
  if (compiled.length === 0) return listed;
  const kept = listed.filter((text) => {
    const v = scheme.parse(text);
    return !v.ok || !compiled.some((c) => isInCompiledRange(scheme, v.value, c) === 'yes');
  });
  return kept.length === listed.length ? listed : kept;
}
