/**
 * Image read: reading and indexing a whole image through Tollgate (`tollgate inspect --files`:
 * every layer streamed once, digests verified, squashed into the file index with a sha256 per
 * file, nothing extracted) vs the peer `umoci unpack --rootless` (unpacks the same OCI layout
 * to disk). Each runs in its own child process so its peak RSS is measured on its own.
 * Full run: the small debian-base image and the ~150 MB `big` image, to show Tollgate's peak
 * memory does not grow with image size. --smoke: debian-base once.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labImage, type LabImageName } from '../src/testing/lab.ts';
import { formatBytes, measureCommand, repeat, type Measurement } from './measure.ts';
import type { Benchmark, BenchComparison, BenchRow } from './types.ts';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
// The published entry point (what users run): it enables V8's compile cache.
const CLI = join(REPO_ROOT, 'bin/tollgate.js');
/** Node 24 (the `node` devDependency); npm scripts put it first on PATH. */
const NODE = process.execPath;

function layoutSizes(layout: string, tarPath: string): { compressed: number; tar: number } {
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
  const manifestDigest = index.manifests[0]?.digest ?? '';
  const manifest = JSON.parse(readFileSync(join(layout, 'blobs', ...manifestDigest.split(':')), 'utf8')) as { layers: Array<{ size: number }> };
  return { compressed: manifest.layers.reduce((sum, layer) => sum + layer.size, 0), tar: statSync(tarPath).size };
}

async function tollgateOnce(source: string): Promise<Measurement> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-bench-data-'));
  try {
    // A fresh data folder each run: no file index cached from a previous run.
    return await measureCommand(NODE, [CLI, '--data-dir', dataDir, '--no-progress', '--no-color', 'inspect', '--files', '--format', 'json', source]);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function umociOnce(layout: string, tag: string): Promise<Measurement> {
  const work = mkdtempSync(join(tmpdir(), 'umoci-bench-'));
  try {
    return await measureCommand('umoci', ['unpack', '--rootless', '--image', `${layout}:${tag}`, join(work, 'bundle')]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export const imageRead: Benchmark = {
  name: 'image-read',
  description: 'read + index a whole image: tollgate inspect --files vs umoci unpack (same OCI layout)',
  async run(ctx) {
    const names: LabImageName[] = ctx.smoke ? ['debian-base'] : ['debian-base', 'big'];
    const rows: BenchRow[] = [];
    const comparisons: BenchComparison[] = [];
    const tollgatePeak = new Map<string, number>();
    for (const name of names) {
      ctx.log(`image-read: preparing lab image ${name}`);
      const image = await labImage(name);
      const source = `oci:${image.ociLayout}:${image.ociLayoutTag}`;
      const sizes = layoutSizes(image.ociLayout, image.dockerArchive);
      const input = `${name} (${formatBytes(sizes.compressed)} gz, ${formatBytes(sizes.tar)} tar)`;
      ctx.log(`image-read: ${name}: tollgate inspect --files ×${String(ctx.repeats)}`);
      const tollgate = await repeat(ctx.repeats, () => tollgateOnce(source));
      ctx.log(`image-read: ${name}: umoci unpack ×${String(ctx.repeats)}`);
      const umoci = await repeat(ctx.repeats, () => umociOnce(image.ociLayout, image.ociLayoutTag));
      rows.push({ input, subject: 'tollgate inspect --files', measurement: tollgate });
      rows.push({ input, subject: 'umoci unpack --rootless', measurement: umoci });
      const speedup = umoci.seconds / tollgate.seconds;
      comparisons.push({ input: name, label: 'umoci time / tollgate time', speedup, target: { description: 'faster than umoci', met: speedup > 1 } });
      tollgatePeak.set(name, tollgate.peakRss);
    }
    const small = tollgatePeak.get('debian-base');
    const big = tollgatePeak.get('big');
    const notes: string[] = [];
    if (small !== undefined && big !== undefined) {
      notes.push(`tollgate peak RSS: debian-base ${formatBytes(small)}, big ${formatBytes(big)} (big/small ${(big / small).toFixed(2)}; streaming means it should stay near 1)`);
    }
    return { rows, comparisons, notes };
  },
};
