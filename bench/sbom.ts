/**
 * sbom: catalogue the same image archive (`oci-archive:`) through Tollgate and its npm peers, each
 * in its own child process (peak RSS from /usr/bin/time -v):
 *  - tollgate sbom --format cyclonedx-json, cold (a fresh --data-dir each run) and warm (the same
 *    data dir again, so per-layer catalogue results are cached by layer digest);
 *  - @cyclonedx/cdxgen `cdxgen -t docker FILE` (offline: no licence, registry or VCS fetching);
 *  - snyk-docker-plugin 9.8.0 through its JS API (bench/peers/snyk-docker-plugin.ts).
 * Package counts per ecosystem (purl type) come from each tool's own output, beside the dpkg
 * ground truth of the lab image. Targets (issue 3): ≥10x faster than cdxgen, no slower than
 * snyk-docker-plugin, warm under 10% of cold, Tollgate peak memory under 300 MB.
 * Full run: the ~150 MB `big` lab image. --smoke: the small debian-base image, Tollgate only.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labImage, labRootfs, type LabImageName } from '../src/testing/lab.ts';
import { isCi } from '../src/testing/peers.ts';
import { formatBytes, measureCommand, repeat, type Measurement } from './measure.ts';
import type { Benchmark, BenchComparison, BenchContext, BenchRow } from './types.ts';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(REPO_ROOT, 'src/cli/main.ts');
const CDXGEN = join(REPO_ROOT, 'node_modules/@cyclonedx/cdxgen/bin/cdxgen.js');
const SNYK_RUNNER = join(REPO_ROOT, 'bench/peers/snyk-docker-plugin.ts');
const SNYK_PACKAGE = join(REPO_ROOT, 'node_modules/snyk-docker-plugin/package.json');
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

async function tollgateOnce(archive: string, dataDir: string, out: string): Promise<Measurement> {
  return measureCommand(NODE, [CLI, '--data-dir', dataDir, '--no-progress', '--no-color', 'sbom', `oci-archive:${archive}`, '--format', 'cyclonedx-json', '-o', out]);
}

/** Cold: a fresh data dir each run, so nothing is cached; the last run's data dir is kept for the warm runs. */
function makeColdRunner(archive: string, work: string): { once(): Promise<Measurement>; lastDataDir(): string } {
  let last: string | undefined;
  return {
    async once() {
      if (last !== undefined) rmSync(last, { recursive: true, force: true });
      last = mkdtempSync(join(work, 'data-'));
      return tollgateOnce(archive, last, join(work, 'tollgate-cold.cdx.json'));
    },
    lastDataDir() {
      if (last === undefined) throw new Error('no cold run yet');
      return last;
    },
  };
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
  const measurement = await measureCommand('sh', ['-c', `exec "$0" "$1" "$2" > "$3"`, NODE, SNYK_RUNNER, `oci-archive:${archive}`, out]);
  const parsed = JSON.parse(readFileSync(out, 'utf8')) as { total: number; byEcosystem: Record<string, number> };
  return { measurement, counts: { packages: parsed.total, byEcosystem: parsed.byEcosystem, other: {} } };
}

function peerAvailable(ctx: BenchContext, name: string, path: string): boolean {
  if (existsSync(path)) return true;
  // Under CI a missing peer is a failure, not a silent skip.
  if (isCi) throw new Error(`peer ${name} is not installed (${path}); npm ci installs it from devDependencies`);
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
    const input = `${name} (${formatBytes(statSync(archive).size)} oci-archive)`;
    const work = mkdtempSync(join(tmpdir(), 'tollgate-bench-sbom-'));
    const rows: BenchRow[] = [];
    const comparisons: BenchComparison[] = [];
    const notes: string[] = [];
    try {
      ctx.log(`sbom: ${name}: tollgate cold ×${String(ctx.repeats)}`);
      const coldRunner = makeColdRunner(archive, work);
      const cold = await repeat(ctx.repeats, () => coldRunner.once());
      const tollgateCounts = countCycloneDx(readFileSync(join(work, 'tollgate-cold.cdx.json'), 'utf8'));
      if (tollgateCounts.packages === 0) throw new Error(`tollgate found no packages in ${name}`);
      rows.push({ input, subject: 'tollgate sbom (cold)', measurement: cold, notes: describeCounts(tollgateCounts) });

      // Warm: the data dir the last cold run filled, so every layer's catalogue is cached.
      ctx.log(`sbom: ${name}: tollgate warm ×${String(ctx.repeats)}`);
      const warmOut = join(work, 'tollgate-warm.cdx.json');
      const warm = await repeat(ctx.repeats, () => tollgateOnce(archive, coldRunner.lastDataDir(), warmOut));
      const warmCounts = countCycloneDx(readFileSync(warmOut, 'utf8'));
      const same = warmCounts.packages === tollgateCounts.packages ? 'same packages as cold' : `DIFFERS from cold: ${describeCounts(warmCounts)}`;
      rows.push({ input, subject: 'tollgate sbom (warm)', measurement: warm, notes: same });

      const warmShare = warm.seconds / cold.seconds;
      comparisons.push({
        input: name,
        label: 'tollgate cold time / warm time',
        speedup: cold.seconds / warm.seconds,
        target: { description: 'warm under 10% of cold', met: warmShare < 0.1 },
      });
      notes.push(`warm/cold = ${(warmShare * 100).toFixed(0)}% (warm reuses the data dir of the last cold run)`);
      const tollgatePeak = Math.max(cold.peakRss, warm.peakRss);
      notes.push(`tollgate peak RSS ${formatBytes(tollgatePeak)}; target under 300 MB: ${tollgatePeak < 300 * 1024 ** 2 ? 'met' : 'NOT met'}`);
      notes.push(`ground truth (dpkg-query of the lab rootfs): deb ${String(truth.dpkg.length)}; tollgate deb ${String(tollgateCounts.byEcosystem['deb'] ?? 0)}`);

      if (ctx.smoke) {
        notes.push('peers skipped under --smoke (cdxgen alone takes over a minute on the big image)');
      } else {
        if (peerAvailable(ctx, 'snyk-docker-plugin', SNYK_PACKAGE)) {
          ctx.log(`sbom: ${name}: snyk-docker-plugin ×${String(ctx.repeats)}`);
          let counts: Counts | undefined;
          const snyk = await repeat(ctx.repeats, async () => {
            const once = await snykOnce(archive, work);
            counts = once.counts;
            return once.measurement;
          });
          rows.push({ input, subject: 'snyk-docker-plugin 9.8.0 (JS API)', measurement: snyk, notes: counts === undefined ? '' : describeCounts(counts) });
          const speedup = snyk.seconds / cold.seconds;
          comparisons.push({ input: name, label: 'snyk time / tollgate cold time', speedup, target: { description: 'no slower than snyk-docker-plugin', met: speedup >= 1 } });
        }
        if (peerAvailable(ctx, 'cdxgen', CDXGEN)) {
          ctx.log(`sbom: ${name}: cdxgen -t docker ×${String(ctx.repeats)} (about a minute each)`);
          const cdxgen = await repeat(ctx.repeats, () => cdxgenOnce(archive, work));
          const counts = countCycloneDx(readFileSync(join(work, 'cdxgen.cdx.json'), 'utf8'));
          rows.push({ input, subject: 'cdxgen -t docker', measurement: cdxgen, notes: describeCounts(counts) });
          const speedup = cdxgen.seconds / cold.seconds;
          comparisons.push({ input: name, label: 'cdxgen time / tollgate cold time', speedup, target: { description: 'at least 10x faster than cdxgen', met: speedup >= 10 } });
          notes.push('cdxgen deb counts include source packages as components of their own (e.g. glibc beside libc6)');
        }
      }
      return { rows, comparisons, notes };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};
