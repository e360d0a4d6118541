/**
 * sbom: catalogue the same image archive (`oci-archive:`) through Tollgate and its npm peers, each
 * in its own child process (peak RSS from /usr/bin/time -v):
 *  - tollgate sbom --format cyclonedx-json, as shipped (the esbuild bundle of tools/build.ts): cold
 *    (a fresh --data-dir each run), warm (the same data dir again: the image's catalogue is cached by
 *    its digest), base layers cached (the image plus one new layer holding an unrelated config file,
 *    same data dir: the base layers' catalogue is reused after reading only the new layer's entries)
 *    and base layers cached, new layer catalogued (one new layer holding a package.json the npm
 *    cataloguer wants: a full catalogue, the base layers the layer cache keeps replayed from it, the
 *    small ones and the new layer read from their blobs: UNCACHED_BLOB_BYTES); timed at the default
 *    log level, as users run it, then the same sequence again untimed at debug level for the sbom
 *    service's own time and path (its debug log);
 *  - @cyclonedx/cdxgen `cdxgen -t docker FILE` (offline: no licence, registry or VCS fetching);
 *  - snyk-docker-plugin 9.8.0 through its JS API (bench/peers/snyk-docker-plugin.ts).
 * The peers are not project dependencies: the full run installs them on demand from
 * bench/peers/package.json (exact versions, own lock) into .cache/bench-peers (bench/peers/install.ts).
 * The subjects run in rounds (each once per round, `repeats` rounds; median time, highest peak
 * memory), so a load swing on a shared machine hits every subject alike. Package counts per
 * ecosystem (purl type) come from each tool's own output, beside the dpkg ground truth of the lab
 * image. Targets (issue 3): ≥10x faster than cdxgen, no slower than snyk-docker-plugin, warm under
 * 10% of cold, Tollgate peak memory under 300 MB.
 * Full run: the ~150 MB `big` lab image. --smoke: the small debian-base image, Tollgate only.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UNCACHED_BLOB_BYTES } from '../src/image/index.ts';
import { labImage, labRootfs, type LabImageName } from '../src/testing/lab.ts';
import { isCi } from '../src/testing/peers.ts';
import { formatBytes, measureCommand, median, summarise, type Measurement } from './measure.ts';
import { buildCli } from '../tools/build.ts';
import { ensureBenchPeers, PEERS_DIR } from './peers/install.ts';
import type { Benchmark, BenchComparison, BenchContext, BenchRow } from './types.ts';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
// The published entry point (what users run): it enables V8's compile cache.
const CLI = join(REPO_ROOT, 'bin/tollgate.js');
const CDXGEN = join(PEERS_DIR, 'node_modules/@cyclonedx/cdxgen/bin/cdxgen.js');
const SNYK_RUNNER = join(REPO_ROOT, 'bench/peers/snyk-docker-plugin.ts');
const SNYK_PACKAGE = join(PEERS_DIR, 'node_modules/snyk-docker-plugin/package.json');
/** Node 24 (the `node` devDependency); npm scripts put it first on PATH. */
const NODE = process.execPath;

/** cdxgen, kept offline: no licence look-ups, no registry metadata, no VCS fetches, no banner. */
const CDXGEN_ENV: Readonly<Record<string, string>> = {
  FETCH_LICENSE: 'false',
  CDXGEN_FETCH_PKG_METADATA: 'false',
  GO_FETCH_VCS: 'false',
  SEARCH_MAVEN_ORG: 'false',
  CDXGEN_NO_CACHE: 'true',
};

/** Packages per ecosystem (purl type), plus what a tool lists that is not a package. */
interface Counts {
  readonly packages: number;
  readonly byEcosystem: Readonly<Record<string, number>>;
  /** Components that are not packages (cdxgen lists files and cryptographic assets). */
  readonly other: Readonly<Record<string, number>>;
}

interface Component {
  readonly type?: string;
  readonly purl?: string;
  readonly components?: readonly Component[];
}

/** Counts the components of a CycloneDX JSON document (nested ones too) by purl type. */
export function countCycloneDx(text: string): Counts {
  const bom = JSON.parse(text) as { components?: readonly Component[] };
  const byEcosystem: Record<string, number> = {};
  const other: Record<string, number> = {};
  let packages = 0;
  const visit = (list: readonly Component[] | undefined): void => {
    for (const c of list ?? []) {
      const type = c.type ?? 'unknown';
      if (type === 'file' || type === 'cryptographic-asset' || c.purl === undefined) {
        other[type] = (other[type] ?? 0) + 1;
      } else {
        const ecosystem = /^pkg:([^/]+)\//.exec(c.purl)?.[1] ?? 'unknown';
        byEcosystem[ecosystem] = (byEcosystem[ecosystem] ?? 0) + 1;
        packages += 1;
      }
      visit(c.components);
    }
  };
  visit(bom.components);
  return { packages, byEcosystem, other };
}

function describeCounts(counts: Counts): string {
  const ecosystems = Object.entries(counts.byEcosystem)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k} ${String(v)}`);
  const other = Object.entries(counts.other).map(([k, v]) => `${k} ${String(v)}`);
  return `${String(counts.packages)} packages (${ecosystems.join(', ')})${other.length > 0 ? `; not packages: ${other.join(', ')}` : ''}`;
}

/** What the sbom service's debug record says about how it catalogued. */
interface CatalogueStats {
  readonly millis?: number;
  readonly chainLayersReused?: number;
  readonly layersRead?: number;
  readonly layersCached?: number;
}

/** A tollgate run: wall/CPU/peak of the process, and the catalogue's own time and path inside it (its debug log). */
interface TollgateRun {
  readonly measurement: Measurement;
  /** Milliseconds the sbom service spent (open, read or replay layers, catalogue), without process start-up and output. */
  readonly catalogueMs: number;
  readonly stats: CatalogueStats;
}

/**
 * A pause before every measured run (full runs only), so that each starts on an idle machine: on these
 * 2-core VMs a run started right after a heavy one (the cold catalogue, cdxgen) was measured ~25%
 * slower (the same base-layers-cached run, alternately right after a cold run and 3 s later: medians
 * ~210 ms vs ~165 ms), which is the previous run's cost, not this one's. Every subject gets the same pause.
 */
async function settle(ctx: BenchContext): Promise<void> {
  if (!ctx.smoke) await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}
const SETTLE_MS = 2000;

/**
 * One `tollgate sbom` run. `debug`: at the debug log level, for the figures the sbom service logs (its
 * own time, the path it took); measured runs use the default level, as users run it (no logger is
 * even made then: core/logger.ts lazyLogger).
 */
async function tollgateOnce(source: string, dataDir: string, out: string, debug: boolean): Promise<TollgateRun> {
  let catalogueMs = Number.NaN;
  let stats: CatalogueStats = {};
  const measurement = await measureCommand(
    NODE,
    [CLI, '--data-dir', dataDir, '--no-progress', '--no-color', ...(debug ? ['--log-level', 'debug'] : []), 'sbom', source, '--format', 'cyclonedx-json', '-o', out],
    {
      // the shipped bundle (tools/build.ts), as users run it, not the TypeScript sources
      env: { TOLLGATE_FROM_DIST: '1' },
      onStderr: (text) => {
        for (const line of text.split('\n')) {
          if (!line.startsWith('{')) continue;
          const record = JSON.parse(line) as { msg?: string; stats?: CatalogueStats };
          if (record.msg?.startsWith('catalogued') === true && typeof record.stats?.millis === 'number') {
            catalogueMs = record.stats.millis;
            stats = record.stats;
          }
        }
      },
    },
  );
  return { measurement, catalogueMs, stats };
}

/**
 * The big image plus one small layer holding `content` at `target`, as an OCI layout: what a rebuild
 * that changes only the application layer looks like. Catalogued after the big image with the same
 * data folder, its base layers come from the layer cache (or their catalogue from the chain cache).
 */
function derivedLayout(image: { ociLayout: string; ociLayoutTag: string }, work: string, name: string, content: string, target: string): string {
  const layout = join(work, name);
  cpSync(image.ociLayout, layout, { recursive: true });
  const extra = join(work, `${name}.file`);
  writeFileSync(extra, content);
  execFileSync('umoci', ['insert', '--rootless', '--image', `${layout}:${image.ociLayoutTag}`, extra, target], { stdio: 'ignore' });
  return `oci:${layout}:${image.ociLayoutTag}`;
}

/** The blob sizes of the layers of `oci:DIR:TAG` (an OCI layout this file wrote), bottom first. */
function layoutLayerSizes(source: string): number[] {
  const [, dir, tag] = /^oci:(.*):([^:/]+)$/.exec(source) ?? [];
  if (dir === undefined || tag === undefined) throw new Error(`sbom: not an OCI layout reference: ${source}`);
  const blob = (digest: string): unknown => JSON.parse(readFileSync(join(dir, 'blobs', ...digest.split(':')), 'utf8'));
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations?: Record<string, string> }[] };
  const entry = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
  if (entry === undefined) throw new Error(`sbom: no manifest tagged ${tag} in ${dir}`);
  return (blob(entry.digest) as { layers: { size: number }[] }).layers.map((layer) => layer.size);
}

/** The path a derived run must have taken for its row to mean what it says. */
function checkPath(kind: 'derived' | 'touched', stats: CatalogueStats, layerSizes: readonly number[]): void {
  const reused = (stats.chainLayersReused ?? 0) > 0;
  if (kind === 'derived' && !reused) throw new Error('sbom: the base-layers-cached run did not reuse the base catalogue');
  // every layer the layer cache keeps (UNCACHED_BLOB_BYTES) replayed from it, the smaller ones read from their blobs
  const cachable = layerSizes.filter((size) => size >= UNCACHED_BLOB_BYTES).length;
  if (kind === 'touched' && (reused || stats.layersCached !== cachable || stats.layersRead !== layerSizes.length - cachable)) {
    throw new Error(`sbom: the new-layer-catalogued run should read the whole tree with the ${String(cachable)} layers the layer cache keeps replayed from it (got ${JSON.stringify(stats)})`);
  }
}

async function cdxgenOnce(archive: string, work: string): Promise<Measurement> {
  // Its own working and temp folder: cdxgen unpacks the image there.
  const dir = mkdtempSync(join(work, 'cdxgen-'));
  try {
    const measurement = await measureCommand(NODE, [CDXGEN, '-t', 'docker', archive, '-o', join(work, 'cdxgen.cdx.json'), '--no-banner'], {
      cwd: dir,
      env: { ...CDXGEN_ENV, CDXGEN_TEMP_DIR: dir },
    });
    return measurement;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the snyk runner under /usr/bin/time -v; its standard output (the counts) goes to a file. */
async function snykOnce(archive: string, work: string): Promise<{ measurement: Measurement; counts: Counts }> {
  const out = join(work, 'snyk.json');
  const measurement = await measureCommand('sh', ['-c', `exec "$0" "$1" "$2" "$3" > "$4"`, NODE, SNYK_RUNNER, PEERS_DIR, `oci-archive:${archive}`, out]);
  const parsed = JSON.parse(readFileSync(out, 'utf8')) as { total: number; byEcosystem: Record<string, number> };
  return { measurement, counts: { packages: parsed.total, byEcosystem: parsed.byEcosystem, other: {} } };
}

function peerAvailable(ctx: BenchContext, name: string, path: string): boolean {
  if (existsSync(path)) return true;
  // Under CI a missing peer is a failure, not a silent skip.
  if (isCi) throw new Error(`peer ${name} is not installed (${path}) after installing bench/peers`);
  ctx.log(`sbom: peer ${name} is not installed; skipping it`);
  return false;
}

export const sbom: Benchmark = {
  name: 'sbom',
  description: 'catalogue one image archive: tollgate sbom (cold, warm) vs cdxgen -t docker vs snyk-docker-plugin 9.8.0',
  async run(ctx) {
    const name: LabImageName = ctx.smoke ? 'debian-base' : 'big';
    ctx.log(`sbom: preparing lab image ${name}`);
    const image = await labImage(name);
    const truth = await labRootfs(name);
    const archive = image.ociArchive;
    const input = `${name} (${formatBytes(statSync(archive).size)} oci-archive, ${formatBytes(statSync(image.dockerArchive).size)} as tar)`;
    const work = mkdtempSync(join(tmpdir(), 'tollgate-bench-sbom-'));
    const rows: BenchRow[] = [];
    const comparisons: BenchComparison[] = [];
    const notes: string[] = [];
    const runs: Record<'cold' | 'warm' | 'derived' | 'touched' | 'snyk' | 'cdxgen', Measurement[]> = { cold: [], warm: [], derived: [], touched: [], snyk: [], cdxgen: [] };
    const inside: Record<'cold' | 'warm' | 'derived' | 'touched', number[]> = { cold: [], warm: [], derived: [], touched: [] };
    ctx.log('sbom: building the CLI bundle (npm run build)');
    await buildCli(join(REPO_ROOT, 'dist', 'cli'));
    const derived = derivedLayout(image, work, 'derived', 'tollgate bench: a new top layer\n', '/etc/tollgate-bench.conf');
    const touched = derivedLayout(image, work, 'touched', '{"name":"tollgate-bench-probe","version":"1.0.0"}\n', '/usr/lib/node_modules/tollgate-bench-probe/package.json');
    // The peers only run in the full benchmark: --smoke (CI) never installs them.
    if (!ctx.smoke) await ensureBenchPeers(ctx.log);
    const useSnyk = !ctx.smoke && peerAvailable(ctx, 'snyk-docker-plugin', SNYK_PACKAGE);
    const useCdxgen = !ctx.smoke && peerAvailable(ctx, 'cdxgen', CDXGEN);
    const coldOut = join(work, 'tollgate-cold.cdx.json');
    const warmOut = join(work, 'tollgate-warm.cdx.json');
    const derivedOut = join(work, 'tollgate-derived.cdx.json');
    const touchedOut = join(work, 'tollgate-touched.cdx.json');
    let snykCounts: Counts | undefined;
    try {
      // Rounds, each subject once per round: the machine's load changes over minutes, and
      // interleaving spreads that over every subject instead of favouring whichever ran last.
      for (let round = 1; round <= ctx.repeats; round += 1) {
        ctx.log(`sbom: ${name}: round ${String(round)}/${String(ctx.repeats)}: tollgate cold, warm, base layers cached (twice)${useSnyk ? ', snyk-docker-plugin' : ''}${useCdxgen ? ', cdxgen (about a minute)' : ''}`);
        // Cold: a fresh data dir, nothing cached. Warm: the same data dir again (the image's catalogue
        // is cached by its digest). Derived: an image with one more layer on top, same data dir (the
        // base's catalogue is reused: only the new layer's entries are read). Touched: one more layer
        // with a file a cataloguer wants (a full catalogue over cached base layers).
        // The sequence twice, each in a fresh data folder: timed at the default log level, then (not
        // timed) at debug for the service's own figures and the path each run took.
        const sequence = [
          ['cold', `oci-archive:${archive}`, coldOut],
          ['warm', `oci-archive:${archive}`, warmOut],
          ['derived', derived, derivedOut],
          ['touched', touched, touchedOut],
        ] as const;
        for (const debug of [false, true]) {
          const dataDir = mkdtempSync(join(work, 'data-'));
          try {
            for (const [kind, source, out] of sequence) {
              if (!debug) await settle(ctx);
              const run = await tollgateOnce(source, dataDir, out, debug);
              if (!debug) runs[kind].push(run.measurement);
              else {
                if (kind === 'derived' || kind === 'touched') checkPath(kind, run.stats, layoutLayerSizes(source));
                inside[kind].push(run.catalogueMs);
              }
            }
          } finally {
            rmSync(dataDir, { recursive: true, force: true });
          }
        }
        if (useSnyk) {
          await settle(ctx);
          const once = await snykOnce(archive, work);
          snykCounts = once.counts;
          runs.snyk.push(once.measurement);
        }
        if (useCdxgen) {
          await settle(ctx);
          runs.cdxgen.push(await cdxgenOnce(archive, work));
        }
      }
      const cold = summarise(runs.cold);
      const warm = summarise(runs.warm);
      const tollgateCounts = countCycloneDx(readFileSync(coldOut, 'utf8'));
      if (tollgateCounts.packages === 0) throw new Error(`tollgate found no packages in ${name}`);
      rows.push({ input, subject: 'tollgate sbom (cold)', measurement: cold, notes: describeCounts(tollgateCounts) });
      const warmCounts = countCycloneDx(readFileSync(warmOut, 'utf8'));
      const same = warmCounts.packages === tollgateCounts.packages ? 'same packages as cold' : `DIFFERS from cold: ${describeCounts(warmCounts)}`;
      rows.push({ input, subject: 'tollgate sbom (warm)', measurement: warm, notes: same });

      const derivedRun = summarise(runs.derived);
      const derivedCounts = countCycloneDx(readFileSync(derivedOut, 'utf8'));
      // a catalogue that differs from what the image holds makes every figure here meaningless
      if (derivedCounts.packages !== tollgateCounts.packages) throw new Error(`sbom: base layers cached found ${describeCounts(derivedCounts)}, cold ${describeCounts(tollgateCounts)}`);
      rows.push({ input: `${name} + 1 new layer (OCI layout)`, subject: 'tollgate sbom (base layers cached)', measurement: derivedRun, notes: 'same packages as cold; base catalogue reused' });
      const touchedRun = summarise(runs.touched);
      const touchedCounts = countCycloneDx(readFileSync(touchedOut, 'utf8'));
      if (touchedCounts.packages !== tollgateCounts.packages + 1) throw new Error(`sbom: new layer catalogued found ${describeCounts(touchedCounts)}, expected cold + 1`);
      rows.push({
        input: `${name} + 1 layer with a package.json`,
        subject: 'tollgate sbom (base layers cached, new layer catalogued)',
        measurement: touchedRun,
        notes: `cold packages + the new one; full catalogue, layers of ${String(UNCACHED_BLOB_BYTES / 1024)} KiB or more replayed from the layer cache`,
      });
      const [coldIn, warmIn, derivedIn, touchedIn] = [median(inside.cold), median(inside.warm), median(inside.derived), median(inside.touched)];
      const warmShare = warm.seconds / cold.seconds;
      const derivedShare = derivedRun.seconds / cold.seconds;
      comparisons.push({
        input: name,
        label: 'tollgate cold time / warm time (same image)',
        speedup: cold.seconds / warm.seconds,
        target: { description: 'warm under 10% of cold', met: warmShare < 0.1 },
      });
      comparisons.push({
        input: `${name} + 1 layer`,
        label: 'tollgate cold time / base-layers-cached time',
        speedup: cold.seconds / derivedRun.seconds,
        target: { description: 'warm (base layers cached) under 10% of cold', met: derivedShare < 0.1 },
      });
      // The same target on the service's own time: what the cache can change (start-up and writing the
      // document are the same for every run, see the fixed-cost note), and what the registry, a resident
      // process, pays per push.
      comparisons.push({
        input: `${name} + 1 layer`,
        label: 'inside the sbom service: cold time / base-layers-cached time',
        speedup: coldIn / derivedIn,
        target: { description: 'warm (base layers cached) under 10% of cold, service time (no start-up or output)', met: derivedIn / coldIn < 0.1 },
      });
      notes.push(
        `process wall time: warm/cold = ${(warmShare * 100).toFixed(0)}% (same image), ${(derivedShare * 100).toFixed(0)}% (base layers cached, one new layer), ${((touchedRun.seconds / cold.seconds) * 100).toFixed(0)}% (base layers cached, new layer catalogued)`,
      );
      // Each round times cold and warm runs a few seconds apart; this machine's speed drifts 10-20%
      // over minutes, so the same-round shares show how much of a verdict near the line is drift.
      const rounds = (kind: 'warm' | 'derived'): string => {
        const shares = runs[kind].map((run, i) => run.seconds / (runs.cold[i]?.seconds ?? Number.NaN));
        return `${shares.map((share) => `${(share * 100).toFixed(1)}%`).join(' ')} (under 10% in ${String(shares.filter((share) => share < 0.1).length)} of ${String(shares.length)})`;
      };
      notes.push(`warm/cold in each round: same image ${rounds('warm')}; base layers cached ${rounds('derived')}`);
      notes.push(
        `inside the process (the sbom service's own time, no start-up or output): cold ${String(coldIn)} ms, warm ${String(warmIn)} ms (${((warmIn / coldIn) * 100).toFixed(1)}%), base layers cached ${String(derivedIn)} ms (${((derivedIn / coldIn) * 100).toFixed(1)}%), new layer catalogued ${String(touchedIn)} ms (${((touchedIn / coldIn) * 100).toFixed(1)}%)`,
      );
      // What every run pays whatever the caches hold: Node's start, loading the CLI and the sbom code,
      // writing the document. The same-image warm run does nothing else (its service time is a cache read).
      const fixed = warm.seconds - warmIn / 1000;
      notes.push(
        `fixed cost of a run outside the sbom service (the same-image warm run's wall time minus its service time: start-up, module loading, writing the CycloneDX document): ${fixed.toFixed(2)} s = ${((fixed / cold.seconds) * 100).toFixed(0)}% of cold`,
      );
      const tollgatePeak = Math.max(cold.peakRss, warm.peakRss, derivedRun.peakRss, touchedRun.peakRss);
      notes.push(`tollgate peak RSS ${formatBytes(tollgatePeak)}; target under 300 MB: ${tollgatePeak < 300 * 1024 ** 2 ? 'met' : 'NOT met'}`);
      notes.push(`ground truth (dpkg-query of the lab rootfs): deb ${String(truth.dpkg.length)}; tollgate deb ${String(tollgateCounts.byEcosystem['deb'] ?? 0)}`);

      if (ctx.smoke) notes.push('peers skipped under --smoke (cdxgen alone takes about a minute on the big image)');
      if (useSnyk) {
        const snyk = summarise(runs.snyk);
        rows.push({ input, subject: 'snyk-docker-plugin 9.8.0 (JS API)', measurement: snyk, notes: snykCounts === undefined ? '' : describeCounts(snykCounts) });
        const speedup = snyk.seconds / cold.seconds;
        comparisons.push({ input: name, label: 'snyk time / tollgate cold time', speedup, target: { description: 'no slower than snyk-docker-plugin', met: speedup >= 1 } });
      }
      if (useCdxgen) {
        const cdxgen = summarise(runs.cdxgen);
        const counts = countCycloneDx(readFileSync(join(work, 'cdxgen.cdx.json'), 'utf8'));
        rows.push({ input, subject: 'cdxgen -t docker', measurement: cdxgen, notes: describeCounts(counts) });
        const speedup = cdxgen.seconds / cold.seconds;
        comparisons.push({ input: name, label: 'cdxgen time / tollgate cold time', speedup, target: { description: 'at least 10x faster than cdxgen', met: speedup >= 10 } });
        notes.push('cdxgen deb counts include source packages as components of their own (e.g. glibc beside libc6)');
      }
      const all = (list: readonly Measurement[]): string => list.map((m) => `${m.seconds.toFixed(1)}${m.cpuSeconds === undefined ? '' : ` (CPU ${m.cpuSeconds.toFixed(1)})`}`).join('/');
      notes.push(`all runs (s): cold ${all(runs.cold)}; warm ${all(runs.warm)}; base layers cached ${all(runs.derived)}; new layer catalogued ${all(runs.touched)}${useSnyk ? `; snyk ${all(runs.snyk)}` : ''}${useCdxgen ? `; cdxgen ${all(runs.cdxgen)}` : ''}; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${String(availableParallelism())} cores`);
      return { rows, comparisons, notes };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};
