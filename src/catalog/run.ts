import { createHash } from 'node:crypto';
import type { Logger } from '../core/logger.ts';
import { byCodePoint } from '../core/order.ts';
import type { Unknown } from '../core/result.ts';
import type { ProbeSpec } from '../image/probe.ts';
import type { FileEntry, FileTree } from '../image/types.ts';
import { LICENCE_RULES_VERSION, type CatalogContext, type CatalogOutput, type CatalogPorts, type Cataloguer } from './cataloguer.ts';
import type { Catalog, Distro, Package, Relationship } from './model.ts';

/** Per-layer results of `layer`-scoped cataloguers, keyed by layer digest + cataloguer id/version + file set. */
export interface CatalogCache {
  get(key: string): Promise<CatalogOutput | undefined>;
  put(key: string, output: CatalogOutput): Promise<void>;
}

export interface RunCatalogOptions {
  readonly cataloguers: readonly Cataloguer[];
  readonly tree: FileTree;
  readonly log: Logger;
  readonly ports?: CatalogPorts;
  readonly cache?: CatalogCache;
  readonly signal?: AbortSignal;
  /** Called after each cataloguer finishes (progress on a terminal). */
  readonly onProgress?: (done: number, total: number, id: string) => void;
  /** Called once for each entry some cataloguer is given (its `wants`), whether or not it reads it. */
  readonly onGiven?: (entry: FileEntry) => void;
}

export interface RunStats {
  readonly cacheHits: number;
  readonly cacheMisses: number;
}

/** A predicate for the image walker: true when any cataloguer wants the entry's contents kept. */
export function makeWantFilter(cataloguers: readonly Cataloguer[]): (entry: FileEntry) => boolean {
  return (entry) => cataloguers.some((c) => (c.wantsContent !== undefined ? c.wantsContent(entry) : c.wants(entry)));
}

/** The probes of a set of cataloguers, one per name (a name means one probe, whoever declares it). */
export function collectProbes(cataloguers: readonly Cataloguer[]): ProbeSpec[] {
  const byName = new Map<string, ProbeSpec>();
  for (const c of cataloguers) for (const spec of c.probes ?? []) if (!byName.has(spec.name)) byName.set(spec.name, spec);
  return [...byName.values()].sort((a, b) => byCodePoint(a.name, b.name));
}

/**
 * Walks the tree once, gives each cataloguer the files it wants, collects packages, relationships
 * and unknowns, and returns them sorted and de-duplicated: the same tree always gives the same catalog.
 * Order: distro identification, then every other cataloguer, then those that need file ownership.
 * A cataloguer that throws becomes an Unknown; it never aborts the run.
 */
export async function runCatalog(options: RunCatalogOptions): Promise<Catalog & { readonly stats: RunStats }> {
  const wanted = new Map<Cataloguer, FileEntry[]>(options.cataloguers.map((c) => [c, []]));
  for (const entry of options.tree.entries()) {
    let given = false;
    for (const cataloguer of options.cataloguers) {
      if (!cataloguer.wants(entry)) continue;
      (wanted.get(cataloguer) as FileEntry[]).push(entry);
      given = true;
    }
    if (given) options.onGiven?.(entry);
  }
  const phases = [
    options.cataloguers.filter((c) => c.identifiesDistro === true),
    options.cataloguers.filter((c) => c.identifiesDistro !== true && c.needsOwnership !== true),
    options.cataloguers.filter((c) => c.needsOwnership === true),
  ];
  const packages: Package[] = [];
  const relationships: Relationship[] = [];
  const unknowns: Unknown[] = [];
  let distro: Distro | undefined;
  let owned: Set<string> | undefined;
  let done = 0;
  let cacheHits = 0;
  let cacheMisses = 0;
  for (const [phase, cataloguers] of phases.entries()) {
    if (phase === 2) {
      owned = new Set(relationships.filter((r) => r.kind === 'owns').map((r) => r.to));
      // a package manifest's own file is owned; a binary carrying Go build info is not thereby "owned"
      for (const p of packages) if (p.ecosystem !== 'golang' && p.ecosystem !== 'binary') for (const l of p.locations) owned.add(l.path);
    }
    for (const cataloguer of cataloguers) {
      options.signal?.throwIfAborted();
      const files = wanted.get(cataloguer) as FileEntry[];
      const log = options.log.child({ cataloguer: cataloguer.id });
      const base = {
        tree: options.tree,
        log,
        ports: options.ports ?? {},
        ...(owned !== undefined ? { owned } : {}),
        ...(distro !== undefined ? { distro } : {}),
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
      };
      const groups = cataloguer.scope === 'layer' ? groupByLayer(files) : [{ layer: undefined, files }];
      for (const group of groups) {
        if (group.files.length === 0 && cataloguer.scope === 'layer') continue;
        const key = group.layer === undefined ? undefined : cacheKey(cataloguer, group.layer, group.files, distro);
        let output = key !== undefined ? await options.cache?.get(key) : undefined;
        if (output !== undefined) {
          cacheHits++;
        } else {
          output = await safeCatalog(cataloguer, { ...base, files: group.files });
          if (key !== undefined && options.cache !== undefined) {
            cacheMisses++;
            await options.cache.put(key, output);
          }
        }
        packages.push(...output.packages);
        relationships.push(...output.relationships);
        unknowns.push(...output.unknowns);
        if (output.distro !== undefined && distro === undefined) distro = output.distro;
      }
      done++;
      options.onProgress?.(done, options.cataloguers.length, cataloguer.id);
    }
  }
  const sortedPackages = dedupePackages(packages);
  const ids = new Set(sortedPackages.map((p) => p.id));
  const contains = sortedPackages.map((p): Relationship => ({ kind: 'contains', from: 'image', to: p.id }));
  const kept = relationships.filter((r) => r.kind === 'owns' || (ids.has(r.from) && ids.has(r.to)) || (r.kind === 'contains' && ids.has(r.to)));
  return {
    ...(distro !== undefined ? { distro } : {}),
    packages: sortedPackages,
    relationships: dedupeRelationships([...contains, ...kept]),
    unknowns: dedupeUnknowns(unknowns),
    stats: { cacheHits, cacheMisses },
  };
}

async function safeCatalog(cataloguer: Cataloguer, ctx: CatalogContext): Promise<CatalogOutput> {
  try {
    return await cataloguer.catalog(ctx);
  } catch (error) {
    // Boundary: one cataloguer's failure is recorded, the others still run.
    ctx.log.debug({ err: error }, 'cataloguer failed');
    return {
      packages: [],
      relationships: [],
      unknowns: [{ source: cataloguer.id, reason: `cataloguer failed: ${error instanceof Error ? error.message : String(error)}` }],
    };
  }
}

function groupByLayer(files: readonly FileEntry[]): { layer: string; files: FileEntry[] }[] {
  const groups = new Map<string, FileEntry[]>();
  for (const file of files) {
    const list = groups.get(file.layer) ?? [];
    list.push(file);
    groups.set(file.layer, list);
  }
  return [...groups.entries()].sort(([a], [b]) => byCodePoint(a, b)).map(([layer, list]) => ({ layer, files: list }));
}

/** The file set is part of the key: an upper layer that deletes a file changes which files survive. */
export function cacheKey(cataloguer: Cataloguer, layer: string, files: readonly FileEntry[], distro?: Distro): string {
  const hash = createHash('sha256');
  hash.update(`${distro?.id ?? ''}\0${distro?.versionId ?? ''}\n`);
  for (const file of files) hash.update(`${file.path}\0${file.sha256 ?? file.size}\n`);
  return `${layer}/${cataloguer.id}@${cataloguer.version}/licences@${String(LICENCE_RULES_VERSION)}/${hash.digest('hex').slice(0, 32)}`;
}

export function sortPackages(packages: readonly Package[]): Package[] {
  return [...packages].sort(
    (a, b) => byCodePoint(a.ecosystem, b.ecosystem) || byCodePoint(a.name, b.name) || byCodePoint(a.version, b.version) || byCodePoint(a.id, b.id),
  );
}

function dedupePackages(packages: readonly Package[]): Package[] {
  const byId = new Map<string, Package>();
  for (const p of packages) {
    const seen = byId.get(p.id);
    if (seen === undefined) {
      byId.set(p.id, p);
      continue;
    }
    const paths = new Set(seen.locations.map((l) => `${l.layer}\0${l.path}`));
    const extra = p.locations.filter((l) => !paths.has(`${l.layer}\0${l.path}`));
    if (extra.length > 0) byId.set(p.id, { ...seen, locations: [...seen.locations, ...extra] });
  }
  return canonicalPackages([...byId.values()]);
}

/**
 * Packages in the one order a catalogue and the SBOM writers use: sorted packages, each with its licences,
 * locations and metadata keys sorted (by code point, never by locale).
 */
export function canonicalPackages(packages: readonly Package[]): Package[] {
  return sortPackages(packages).map((p) => ({
    ...p,
    licenses: [...p.licenses].sort(byCodePoint),
    locations: [...p.locations].sort((a, b) => byCodePoint(a.path, b.path) || byCodePoint(a.layer, b.layer)),
    ...(p.metadata !== undefined ? { metadata: Object.fromEntries(Object.entries(p.metadata).sort(([a], [b]) => byCodePoint(a, b))) } : {}),
  }));
}

/** Relationships without repeats, in kind, from, to order (a catalogue's, and an SBOM read back). */
export function dedupeRelationships(relationships: readonly Relationship[]): Relationship[] {
  const seen = new Set<string>();
  const out: Relationship[] = [];
  for (const r of relationships) {
    const key = `${r.kind}\0${r.from}\0${r.to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out.sort((a, b) => byCodePoint(a.kind, b.kind) || byCodePoint(a.from, b.from) || byCodePoint(a.to, b.to));
}

function dedupeUnknowns(unknowns: readonly Unknown[]): Unknown[] {
  const seen = new Set<string>();
  const out: Unknown[] = [];
  for (const u of unknowns) {
    const key = `${u.source}\0${u.path ?? ''}\0${u.layer ?? ''}\0${u.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(u);
  }
  return out.sort((a, b) => byCodePoint(a.source, b.source) || byCodePoint(a.path ?? '', b.path ?? '') || byCodePoint(a.reason, b.reason));
}
