import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, openSync, rmSync, writeSync, closeSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { readImage } from '../../../image/read-image.ts';
import type { FileEntry } from '../../../image/types.ts';
import { peersAvailable } from '../../../testing/peers.ts';
import { CATALOGUERS } from '../../registry.ts';
import { runProbe } from '../../../image/probe.ts';
import { collectProbes, makeWantFilter, runCatalog } from '../../run.ts';
import { decodeBuildInfoProbe } from './catalog.ts';
import { goBinary } from './index.ts';
import { GO_BUILDINFO_PROBE } from './probes.ts';

const MiB = 1024 * 1024;
const executable = (size: number): FileEntry => ({ path: '/usr/bin/app', type: 'file', mode: 0o755, uid: 0, gid: 0, size, layer: 'sha256:l' });

const work = mkdtempSync(join(tmpdir(), 'tollgate-go-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('go-binary cataloguer', () => {
  it('keeps no executable while streaming: the build-info probe runs on every candidate instead', () => {
    expect([1, 32, 33, 200].map((m) => goBinary.wants(executable(m * MiB)))).toEqual([true, true, true, true]);
    expect(goBinary.wantsContent()).toBe(false);
    expect([0.25, 1, 200].map((m) => GO_BUILDINFO_PROBE.wants(executable(m * MiB)))).toEqual([false, true, true]);
    // no cataloguer keeps a 200 MB (or a 1 MB) executable's contents while the layers stream
    expect(makeWantFilter(CATALOGUERS)(executable(200 * MiB))).toBe(false);
    expect(makeWantFilter(CATALOGUERS)(executable(MiB))).toBe(false);
    expect(collectProbes(CATALOGUERS).map((p) => p.name)).toContain(GO_BUILDINFO_PROBE.name);
  });

  it('decodes what the probe keeps exactly as parseBuildInfo reads the whole file', () => {
    const absent = runProbe(GO_BUILDINFO_PROBE, Buffer.alloc(MiB, 0x41));
    expect(decodeBuildInfoProbe(absent)).toEqual({ ok: 'absent' });
    expect(decodeBuildInfoProbe(Buffer.from('?'))).toMatchObject({ ok: false });
  });

  // A real Go binary (Debian's docker-registry) grown past the capture bound, in a real OCI layout.
  describe.skipIf(!peersAvailable('umoci', 'dpkg-query') || !peersAvailable('docker-registry'))('on a real image', () => {
    it('finds the Go version dpkg Built-Using names in an executable too big to keep while streaming', async () => {
      const builtUsing = execFileSync('dpkg-query', ['-W', '-f', '${Built-Using}', 'docker-registry'], { encoding: 'utf8' });
      const golang = /golang-\d+\.\d+ \(= ([\d.]+)-/.exec(builtUsing)?.[1];
      expect(golang).toBeDefined();
      const big = join(work, 'registry-big');
      copyFileSync('/usr/bin/docker-registry', big);
      const fd = openSync(big, 'a');
      writeSync(fd, Buffer.alloc(40 * MiB, 0x5a));
      closeSync(fd);
      chmodSync(big, 0o755);
      const layout = join(work, 'layout');
      execFileSync('umoci', ['init', '--layout', layout]);
      execFileSync('umoci', ['new', '--image', `${layout}:v1`]);
      execFileSync('umoci', ['insert', '--rootless', '--image', `${layout}:v1`, big, '/usr/local/bin/registry-big'], { stdio: 'ignore' });

      const { tree, index } = await readImage(`oci:${layout}:v1`, { want: makeWantFilter(CATALOGUERS), probes: collectProbes(CATALOGUERS) });
      expect(index.find((e) => e.path === '/usr/local/bin/registry-big')?.size).toBeGreaterThan(40 * MiB);
      // the probe kept the build info (a few KiB), not the 60 MB executable
      const probed = tree.probe?.('/usr/local/bin/registry-big', GO_BUILDINFO_PROBE.name);
      expect(probed?.subarray(0, 1).toString()).toBe('K');
      expect(probed?.length).toBeLessThan(64 * 1024);
      const catalog = await runCatalog({ cataloguers: CATALOGUERS, tree, log: silentLogger });
      const stdlib = catalog.packages.filter((p) => p.ecosystem === 'golang' && p.name === 'stdlib');
      expect(stdlib.map((p) => [p.version, p.locations[0]?.path])).toEqual([[`go${golang as string}`, '/usr/local/bin/registry-big']]);

      // without probes (another reader) the cataloguer reads the file itself: the same packages
      const unprobed = await readImage(`oci:${layout}:v1`, { want: makeWantFilter(CATALOGUERS) });
      expect(unprobed.tree.probe?.('/usr/local/bin/registry-big', GO_BUILDINFO_PROBE.name)).toBeUndefined();
      const again = await runCatalog({ cataloguers: CATALOGUERS, tree: unprobed.tree, log: silentLogger });
      expect(again.packages).toEqual(catalog.packages);
      // and the probe over the whole file gives what the walk kept
      expect(runProbe(GO_BUILDINFO_PROBE, await unprobed.tree.readFile('/usr/local/bin/registry-big')).equals(probed as Buffer)).toBe(true);
    });
  });
});
