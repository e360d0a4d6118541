import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { craftTar, type CraftEntry } from '../testing/tar-craft.ts';
import { readLayer } from './layer/read-layer.ts';
import { resolveLimits } from './limits.ts';
import { createSquash, type SquashOptions } from './squash.ts';

async function squash(layers: readonly (readonly CraftEntry[])[], options: Partial<SquashOptions> = {}) {
  const s = createSquash({ layerIds: layers.map((_, i) => `L${i}`), ...options });
  for (const [index, entries] of layers.entries()) {
    await readLayer(Readable.from([craftTar(entries)]), (entry, body) => s.apply(index, entry, body), {
      limits: resolveLimits(),
      capture: (entry) => s.capture(index, entry),
    });
  }
  return s;
}

const paths = (s: Awaited<ReturnType<typeof squash>>): string[] => s.entries().map((e) => `${e.path}@${e.layer}`);

describe('createSquash', () => {
  it('implies parents and lets later layers replace entries', async () => {
    const s = await squash([
      [{ name: 'a/b/c', body: 'one' }, { name: 'x', type: '5' }, { name: 'x/child', body: 'c' }],
      [{ name: 'a/b/c', body: 'two' }, { name: 'x', body: 'now a file' }],
    ]);
    expect(paths(s)).toEqual(['/@L0', '/a@L0', '/a/b@L0', '/a/b/c@L1', '/x@L1']);
    expect(s.entries().find((e) => e.path === '/x')).toMatchObject({ type: 'file', size: 10 });
  });

  it('applies whiteouts to lower layers only, whatever the archive order', async () => {
    const s = await squash([
      [{ name: 'd/old', body: '1' }, { name: 'd/keep', body: '2' }, { name: 'e/sub/f', body: '3' }, { name: 'g', body: 'g' }],
      [
        { name: 'd/new', body: 'n' },
        { name: 'd/.wh.old' },
        { name: 'd/.wh.new' }, // same layer: must not delete d/new
        { name: 'e/.wh.sub' },
        { name: '.wh.g' },
        { name: 'g', body: 'again' }, // recreated in the same layer after its whiteout
      ],
    ]);
    expect(paths(s)).toEqual(['/@L0', '/d@L0', '/d/keep@L0', '/d/new@L1', '/e@L0', '/g@L1']);
  });

  it('empties opaque folders of lower entries but keeps the same layer entries', async () => {
    const s = await squash([
      [{ name: 'o/a', body: '1' }, { name: 'o/sub/b', body: '2' }, { name: 'p/q', body: 'q' }],
      [{ name: 'o/mine', body: 'm' }, { name: 'o/.wh..wh..opq' }, { name: 'o/later', body: 'l' }, { name: 'p/.wh..wh..opq' }],
    ]);
    expect(paths(s)).toEqual(['/@L0', '/o@L0', '/o/later@L1', '/o/mine@L1', '/p@L0']);
  });

  it('prunes lower children of a folder this layer rewrote before whiting it out', async () => {
    const s = await squash([[{ name: 'a/b/c', body: '1' }], [{ name: 'a/b/', type: '5' }, { name: 'a/b/n', body: 'n' }, { name: 'a/.wh.b' }]]);
    expect(paths(s)).toEqual(['/@L0', '/a@L0', '/a/b@L1', '/a/b/n@L1']);
  });

  it('links hard links to regular files in this layer or below and shares their contents', async () => {
    const s = await squash(
      [[{ name: 'bin/busybox', body: 'BB', mode: 0o755 }], [{ name: 'bin/sh', type: '1', linkname: 'bin/busybox' }, { name: 'bin/busybox', body: 'new' }]],
      { want: (e) => e.path.startsWith('/bin/') },
    );
    const sh = s.entries().find((e) => e.path === '/bin/sh');
    expect(sh).toMatchObject({ type: 'hardlink', linkTarget: '/bin/busybox', size: 2, mode: 0o755, layer: 'L1' });
    expect(s.slot('/bin/sh')?.content?.toString()).toBe('BB');
    expect(s.slot('/bin/busybox')?.content?.toString()).toBe('new');
  });

  it.each([
    ['a missing target', [[{ name: 'x', type: '1', linkname: 'missing' }]], 'ARCHIVE_HARDLINK_INVALID'],
    ['a folder target', [[{ name: 'd/', type: '5' }, { name: 'x', type: '1', linkname: 'd' }]], 'ARCHIVE_HARDLINK_INVALID'],
    ['a target written later', [[{ name: 'x', type: '1', linkname: 'y' }, { name: 'y', body: 'y' }]], 'ARCHIVE_HARDLINK_INVALID'],
    ['a whited-out target', [[{ name: 'y', body: 'y' }], [{ name: '.wh.y' }, { name: 'x', type: '1', linkname: 'y' }]], 'ARCHIVE_HARDLINK_INVALID'],
    ['a write through a symlink (same layer)', [[{ name: 'etc', type: '2', linkname: '/tmp' }, { name: 'etc/passwd', body: 'x' }]], 'ARCHIVE_SYMLINK_ESCAPE'],
    ['a write through a symlink (lower layer)', [[{ name: 'lib', type: '2', linkname: 'usr/lib' }], [{ name: 'lib/x.so', body: 'x' }]], 'ARCHIVE_SYMLINK_ESCAPE'],
    ['a whiteout through a symlink', [[{ name: 'usr/lib/f', body: 'f' }, { name: 'lib', type: '2', linkname: 'usr/lib' }], [{ name: 'lib/.wh.f' }]], 'ARCHIVE_SYMLINK_ESCAPE'],
    ['a write below a file', [[{ name: 'f', body: 'f' }, { name: 'f/x', body: 'x' }]], 'ARCHIVE_INVALID'],
    ['a root that is not a folder', [[{ name: './', body: 'x' }]], 'ARCHIVE_INVALID'],
  ] as const)('refuses %s', async (_name, layers, code) => {
    await expect(squash(layers)).rejects.toMatchObject({ code });
  });

  it('captures only wanted files', async () => {
    const s = await squash([[{ name: 'etc/os-release', body: 'ID=x' }, { name: 'usr/big', body: 'y'.repeat(1000) }]], {
      want: (e) => e.path === '/etc/os-release',
    });
    expect(s.slot('/etc/os-release')?.content?.toString()).toBe('ID=x');
    expect(s.slot('/usr/big')?.content).toBeUndefined();
    expect(s.slot('/usr/big')?.ref).toEqual({ layer: 0, ordinal: 1 });
  });
});
