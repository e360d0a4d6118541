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
import { makeWantFilter, runCatalog } from '../../run.ts';
import { goBinary } from './index.ts';

const MiB = 1024 * 1024;
const executable = (size: number): FileEntry => ({ path: '/usr/bin/app', type: 'file', mode: 0o755, uid: 0, gid: 0, size, layer: 'sha256:l' });

const work = mkdtempSync(join(tmpdir(), 'tollgate-go-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('go-binary cataloguer', () => {
  it('asks the image reader to keep executables up to 32 MiB only; bigger ones are read on demand', () => {
    expect([1, 32, 33, 200].map((m) => goBinary.wants(executable(m * MiB)))).toEqual([true, true, true, true]);
    expect([1, 32, 33, 200].map((m) => goBinary.wantsContent(executable(m * MiB)))).toEqual([true, true, false, false]);
    // no cataloguer keeps a 200 MB executable's contents while the layers stream
    expect(makeWantFilter(CATALOGUERS)(executable(200 * MiB))).toBe(false);
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

      const { tree, index } = await readImage(`oci:${layout}:v1`, { want: makeWantFilter(CATALOGUERS) });
      expect(index.find((e) => e.path === '/usr/local/bin/registry-big')?.size).toBeGreaterThan(40 * MiB);
      const catalog = await runCatalog({ cataloguers: CATALOGUERS, tree, log: silentLogger });
      const stdlib = catalog.packages.filter((p) => p.ecosystem === 'golang' && p.name === 'stdlib');
      expect(stdlib.map((p) => [p.version, p.locations[0]?.path])).toEqual([[`go${golang as string}`, '/usr/local/bin/registry-big']]);
    });
  });
});
