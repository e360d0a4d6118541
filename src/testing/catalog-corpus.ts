// Test helper (tests only): trivy's integration fixtures from the shared corpus as trees,
// with trivy's golden package lists as the ground truth to compare against.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { silentLogger } from '../core/logger.ts';
import { corpusDir } from './peers.ts';
import type { Cataloguer } from '../catalog/cataloguer.ts';
import type { Catalog } from '../catalog/model.ts';
import { runCatalog } from '../catalog/run.ts';
import { inlineTree } from '../catalog/_shared/test-tree.ts';

export const TRIVY = join(corpusDir(), 'trivy-integration/integration/testdata');
export const SYFT = join(corpusDir(), 'syft-fixtures');

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

/** Catalogues a corpus folder (placed at /src in the tree) with the given cataloguers. */
export async function catalogFolder(dir: string, cataloguers: readonly Cataloguer[]): Promise<Catalog> {
  const files: Record<string, Buffer> = {};
  for (const path of walk(dir)) files[`/src/${relative(dir, path)}`] = readFileSync(path);
  return runCatalog({ cataloguers, tree: inlineTree(files), log: silentLogger });
}

/** Catalogues one of trivy's repo fixtures (fixtures/repo/<name>). */
export function catalogTrivyRepo(name: string, cataloguers: readonly Cataloguer[]): Promise<Catalog> {
  return catalogFolder(join(TRIVY, 'fixtures/repo', name), cataloguers);
}

interface GoldenPackage {
  readonly Name: string;
  readonly Version: string;
  readonly Identifier?: { readonly PURL?: string };
}

/** The purls trivy lists in a golden output: every package (listAllPkgs goldens), else the vulnerable ones. */
export function goldenPurls(golden: string): { all: string[]; vulnerable: string[] } {
  const doc = JSON.parse(readFileSync(join(TRIVY, golden), 'utf8')) as {
    Results?: { Packages?: GoldenPackage[]; Vulnerabilities?: { PkgIdentifier?: { PURL?: string } }[] }[];
  };
  const all = new Set<string>();
  const vulnerable = new Set<string>();
  for (const r of doc.Results ?? []) {
    for (const p of r.Packages ?? []) if (p.Identifier?.PURL !== undefined) all.add(p.Identifier.PURL);
    for (const v of r.Vulnerabilities ?? []) if (v.PkgIdentifier?.PURL !== undefined) vulnerable.add(v.PkgIdentifier.PURL);
  }
  return { all: [...all].map(comparable).sort(), vulnerable: [...vulnerable].map(comparable).sort() };
}

/**
 * Purls compared decoded: trivy percent-encodes '+' in versions (`v2.7.1%2Bincompatible`), packageurl-js
 * leaves it as is; both name the same package.
 */
function comparable(purl: string): string {
  return decodeURIComponent(purl);
}

/** Sorted distinct purls of a catalogue (decoded, as goldenPurls gives them). */
export function purlsOf(catalog: Catalog): string[] {
  return [...new Set(catalog.packages.map((p) => comparable(p.purl)))].sort();
}
