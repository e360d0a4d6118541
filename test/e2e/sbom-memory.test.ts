/**
 * Issue 3's memory target: `tollgate sbom` stays under 300 MB peak RSS whatever the image holds.
 * The image: one uncompressed layer with a real Go binary (Debian's docker-registry) grown to ~230 MB,
 * beside the real binary itself. Peak RSS of the CLI process comes from GNU time (`/usr/bin/time -v`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { peersAvailable } from '../../src/testing/peers.ts';
import { writeOciLayout } from '../../src/testing/oci-craft.ts';
import { craftTar } from '../../src/testing/tar-craft.ts';
import { runTollgate } from './cli.ts';

const MiB = 1024 * 1024;
const work = mkdtempSync(join(tmpdir(), 'tollgate-sbom-memory-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function timed(args: readonly string[]): Promise<{ code: number; stdout: string; peakKb: number }> {
  const run = await runTollgate(args, { wrapper: ['/usr/bin/time', '-v'] });
  const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr);
  return { code: run.code, stdout: run.stdout, peakKb: peak === null ? Number.NaN : Number(peak[1]) };
}

// `time` is GNU time (/usr/bin/time; `command -v time` finds it, not the shell keyword, under sh)
describe.skipIf(!peersAvailable('docker-registry', 'dpkg-query', '/usr/bin/time'))('tollgate sbom memory', () => {
  it('catalogues an image holding a 230 MB Go executable in under 300 MB', async () => {
    const builtUsing = execFileSync('dpkg-query', ['-W', '-f', '${Built-Using}', 'docker-registry'], { encoding: 'utf8' });
    const golang = /golang-\d+\.\d+ \(= ([\d.]+)-/.exec(builtUsing)?.[1] as string;
    const binary = readFileSync('/usr/bin/docker-registry');
    const huge = Buffer.concat([binary, Buffer.alloc(210 * MiB, 0)]);
    const tar = craftTar([
      { name: 'usr/', type: '5', mode: 0o755 },
      { name: 'usr/local/', type: '5', mode: 0o755 },
      { name: 'usr/local/bin/', type: '5', mode: 0o755 },
      { name: 'usr/local/bin/registry-huge', body: huge, mode: 0o755 },
      { name: 'usr/local/bin/registry', body: binary, mode: 0o755 },
    ]);
    const layout = join(work, 'layout');
    writeOciLayout(layout, { layers: [tar], layerMediaType: 'application/vnd.oci.image.layer.v1.tar', tag: 'huge' });

    const run = await timed(['--data-dir', join(work, 'data'), '--no-progress', 'sbom', `oci:${layout}:huge`, '--format', 'json']);
    expect(run.code).toBe(0);
    const catalog = JSON.parse(run.stdout) as { packages: { name: string; version: string; ecosystem: string; locations: { path: string }[] }[] };
    const stdlib = catalog.packages.filter((p) => p.ecosystem === 'golang' && p.name === 'stdlib').map((p) => [p.version, p.locations[0]?.path]);
    expect(stdlib).toEqual([
      [`go${golang}`, '/usr/local/bin/registry'],
      [`go${golang}`, '/usr/local/bin/registry-huge'],
    ]);
    expect(huge.length).toBeGreaterThan(220 * MiB);
    expect(run.peakKb).toBeGreaterThan(0);
    process.stderr.write(`sbom-memory: peak RSS ${(run.peakKb / 1024).toFixed(0)} MB for a ${(huge.length / MiB).toFixed(0)} MiB executable\n`);
    expect(run.peakKb / 1024).toBeLessThan(300);
  }, 120_000);
});
