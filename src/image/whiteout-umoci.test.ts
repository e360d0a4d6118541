/**
 * Whiteouts, opaque folders, hard links and symlinks across crafted layers, cross-checked against
 * the real peer: `umoci unpack` of the same OCI layout. The full set of paths, types, modes,
 * owners, link targets and file hashes must agree.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { craftTar, gzip, type CraftEntry } from '../testing/tar-craft.ts';
import { writeOciLayout } from '../testing/oci-craft.ts';
import { peersAvailable } from '../testing/peers.ts';
import { describeIndex, walkRootfs } from '../testing/rootfs-compare.ts';
import { readImage } from './read-image.ts';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tollgate-whiteout-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function compareWithUmoci(name: string, layers: readonly (readonly CraftEntry[])[], compress: (b: Buffer) => Buffer = gzip) {
  const tars = layers.map((entries) => craftTar(entries));
  const layout = writeOciLayout(join(work, name), {
    layers: tars.map(compress),
    tars,
    tag: 'v1',
  });
  const bundle = join(work, `${name}-bundle`);
  execFileSync('umoci', ['unpack', '--image', `${layout.dir}:v1`, bundle], { stdio: 'ignore' });
  const peer = walkRootfs(join(bundle, 'rootfs'));
  const result = await readImage(`oci:${layout.dir}:v1`);
  const ours = describeIndex(result.index);
  expect(ours.map((e) => e.path)).toEqual(peer.map((e) => e.path));
  expect(ours).toEqual(peer);
  return result;
}

describe.skipIf(!peersAvailable('umoci'))('squash agrees with umoci unpack', () => {
  it('applies whiteouts, opaque folders, hard links and symlinks like umoci', async () => {
    const result = await compareWithUmoci('mixed', [
      [
        { name: './', type: '5', mode: 0o755 },
        { name: 'a/', type: '5' },
        { name: 'a/b/', type: '5', mode: 0o750, uid: 1000, gid: 1000 },
        { name: 'a/b/f1', body: 'one' },
        { name: 'a/b/f2', body: 'two', uid: 1000, gid: 100 },
        { name: 'a/keep', body: 'keep' },
        { name: 'd/', type: '5' },
        { name: 'd/x/', type: '5' },
        { name: 'd/x/y', body: 'y' },
        { name: 'opq/', type: '5' },
        { name: 'opq/o1', body: 'o1' },
        { name: 'opq/sub/', type: '5' },
        { name: 'opq/sub/o2', body: 'o2' },
        { name: 'bin/', type: '5' },
        { name: 'bin/busybox', body: 'BUSYBOX', mode: 0o4755 },
        { name: 'bin/sh', type: '1', linkname: 'bin/busybox' },
        { name: 'etc/', type: '5' },
        { name: 'etc/os-release', body: 'ID=debian\n' },
        { name: 'usr/', type: '5' },
        { name: 'usr/lib/', type: '5' },
        { name: 'usr/lib/os-release', type: '2', linkname: '../../etc/os-release' },
        { name: 'tmp/', type: '5', mode: 0o1777 },
        { name: 'fifo', type: '6' },
        { name: `deep/${'n'.repeat(120)}/${'m'.repeat(110)}`, body: 'pax path', pax: true },
      ],
      [
        { name: 'a/b/.wh.f1' },
        { name: '.wh.d' },
        { name: 'opq/', type: '5' },
        { name: 'opq/.wh..wh..opq' },
        { name: 'opq/new', body: 'new' },
        { name: 'bin/ash', type: '1', linkname: 'bin/busybox' },
        { name: 'etc/os-release', body: 'ID=tollgate\n' },
      ],
      [
        { name: 'd/', type: '5', mode: 0o700 },
        { name: 'd/z', body: 'z' },
        { name: 'a/keep', body: 'kept, changed', mode: 0o600 },
        { name: 'usr/lib/os-release', body: 'now a file' },
        { name: 'a/b/.wh.missing' },
      ],
    ]);
    expect(result.tree.get('/bin/sh')).toMatchObject({ type: 'hardlink', linkTarget: '/bin/busybox', mode: 0o4755 });
    expect((await result.tree.readFile('/bin/ash')).toString()).toBe('BUSYBOX');
    expect((await result.tree.readFile('/etc/os-release')).toString()).toBe('ID=tollgate\n');
    expect(result.tree.get('/a/keep')?.layer).toBe(result.layers[2]?.diffId);
  });

  // umoci 0.4 cannot read zstd layers; zstd is covered by the lab zstd layout (skopeo + same index as gzip forms).
  it('agrees on a folder replaced by a file and back', async () => {
    await compareWithUmoci(
      'replace',
      [
        [{ name: 'x/', type: '5' }, { name: 'x/child', body: 'c' }, { name: 'f', body: 'file' }],
        [{ name: 'x', body: 'now a file' }, { name: '.wh.f' }, { name: 'f/', type: '5' }, { name: 'f/inside', body: 'i' }],
        [{ name: '.wh.x' }, { name: 'x/', type: '5' }, { name: 'x/again', body: 'a' }],
      ],
    );
  });
});
