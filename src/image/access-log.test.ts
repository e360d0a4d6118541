import { describe, expect, it } from 'vitest';
import { createAccessLog, layersTouch, shapeOf } from './access-log.ts';
import type { LayerEntry } from './layer/layer-entry.ts';
import { createMemoryTree } from './memory-tree.ts';
import type { FileEntry } from './types.ts';

const file = (path: string, over: Partial<FileEntry> = {}): FileEntry => ({ path, type: 'file', mode: 0o644, uid: 0, gid: 0, size: 1, layer: 'sha256:base', ...over });
const dir = (path: string): FileEntry => file(path, { type: 'dir', size: 0 });
const link = (path: string, target: string): FileEntry => file(path, { type: 'symlink', size: 0, linkTarget: target });
const entry = (path: string, over: Partial<LayerEntry> = {}): LayerEntry => ({ ordinal: 0, path, type: 'file', mode: 0o644, uid: 0, gid: 0, size: 1, mtime: 0, ...over });

/** A base tree (usrmerge-style /lib symlink) read the way cataloguers read: get, resolve, readFile. */
async function recorded() {
  const log = createAccessLog();
  const tree = createMemoryTree(
    [dir('/etc'), file('/etc/os-release'), dir('/usr'), dir('/usr/lib'), file('/usr/lib/libc.so'), link('/lib', 'usr/lib'), dir('/var'), dir('/var/lib'), dir('/var/lib/dpkg'), file('/var/lib/dpkg/status'), dir('/opt')],
    async () => Buffer.from('x'),
    { accessLog: log },
  );
  await tree.readFile('/etc/os-release');
  await tree.readFile('/var/lib/dpkg/status');
  expect(tree.resolve('/lib/libc.so')?.path).toBe('/usr/lib/libc.so'); // through the symlink
  expect(tree.get('/usr/share/doc/curl/copyright')).toBeUndefined(); // looked up, missing
  expect(tree.resolve('/srv/data/x')).toBeUndefined(); // stops at /srv, missing
  return log;
}

describe('image/access-log', () => {
  it('the tree records every lookup with its shape (each component and symlink hop), and what was read', async () => {
    const log = await recorded();
    expect(log.looked.get('/lib')).toBe('symlink>usr/lib');
    expect(log.looked.get('/usr/lib/libc.so')).toBe('file');
    expect(log.looked.get('/usr/share/doc/curl/copyright')).toBe('missing');
    expect([...log.read].sort()).toEqual(['/etc/os-release', '/var/lib/dpkg/status']);
    expect(shapeOf(undefined)).toBe('missing');
  });

  it('layers that add only unrelated, unwanted files (and re-state existing folders) change nothing', async () => {
    const log = await recorded();
    const layer = [entry('/etc', { type: 'dir' }), entry('/etc/tollgate.conf'), entry('/opt/app/readme.txt'), entry('/home', { type: 'dir' })];
    expect(layersTouch(log, [layer], () => false)).toBe(false);
  });

  it('a wanted file, a changed or read path, a path looked up as missing, or a replaced symlink changes something', async () => {
    const log = await recorded();
    const touch = (...entries: LayerEntry[]): boolean => layersTouch(log, [entries], (e) => e.path.endsWith('/package.json'));
    expect(touch(entry('/opt/app/node_modules/x/package.json'))).toBe(true); // wanted
    expect(touch(entry('/etc/os-release'))).toBe(true); // read before: contents may differ
    expect(touch(entry('/usr/share/doc/curl/copyright'))).toBe(true); // was missing, now there
    // implied folders /usr/share/doc/curl: get() of the missing copyright looked up the whole path only,
    // which stays missing; a resolution that stopped at a missing folder records that folder
    expect(touch(entry('/usr/share/doc/curl/other'))).toBe(false);
    expect(touch(entry('/srv/data/x/y'))).toBe(true); // creates /srv, where a resolution stopped
    expect(touch(entry('/lib', { type: 'symlink', linkTarget: 'usr/lib64' }))).toBe(true); // another target
    expect(touch(entry('/lib', { type: 'symlink', linkTarget: 'usr/lib' }))).toBe(false); // the same link again
    expect(touch(entry('/usr/lib', { type: 'symlink', linkTarget: '/opt' }))).toBe(true); // a folder things were found in
  });

  it('whiteouts change something when they delete a consulted path or the folder holding one', async () => {
    const log = await recorded();
    const touch = (...entries: LayerEntry[]): boolean => layersTouch(log, [entries], () => false);
    expect(touch(entry('/etc/.wh.os-release'))).toBe(true);
    expect(touch(entry('/usr/.wh.lib'))).toBe(true); // held /usr/lib/libc.so
    expect(touch(entry('/var/lib/.wh..wh..opq'))).toBe(true); // empties the folder holding dpkg/status
    expect(touch(entry('/opt/.wh..wh..opq'))).toBe(false); // nothing under /opt was consulted
    expect(touch(entry('/etc/.wh.unrelated.conf'))).toBe(false);
    expect(touch(entry('/usr/share/doc/curl/.wh.copyright'))).toBe(false); // deletes what was missing anyway
  });

  it('adding to or deleting from a listed folder changes something', async () => {
    const log = createAccessLog();
    const tree = createMemoryTree([dir('/etc'), dir('/etc/apt'), file('/etc/apt/a.list')], async () => Buffer.from(''), { accessLog: log });
    expect(tree.list('/etc/apt').map((e) => e.path)).toEqual(['/etc/apt/a.list']);
    expect(layersTouch(log, [[entry('/etc/apt/b.list')]], () => false)).toBe(true);
    expect(layersTouch(log, [[entry('/etc/apt/.wh.a.list')]], () => false)).toBe(true);
    expect(layersTouch(log, [[entry('/etc/apt/sources.d/c.list')]], () => false)).toBe(true); // creates a child folder
    expect(layersTouch(log, [[entry('/etc/other.conf')]], () => false)).toBe(false);
  });

  it('a hard link always changes something (it takes its target\'s size and mode), and wanted() is told the layer', async () => {
    const log = await recorded();
    expect(layersTouch(log, [[entry('/opt/run', { type: 'hardlink', linkTarget: '/usr/lib/libc.so', size: 0 })]], () => false)).toBe(true);
    const asked: number[] = [];
    layersTouch(log, [[entry('/opt/a')], [entry('/opt/b')]], (_e, layer) => (asked.push(layer), false));
    expect(asked).toEqual([0, 1]);
  });

  it('answers alike for a small new layer (holding folders found by scanning) and a big one (by a set)', async () => {
    const log = await recorded();
    // a folder at a new path, unwanted: changes nothing itself, but makes the layer big
    const padding = Array.from({ length: 5000 }, (_, i) => entry(`/zz-pad/${String(i)}`, { type: 'dir' }));
    const cases = [
      entry('/etc/.wh.os-release'),
      entry('/usr/.wh.lib'),
      entry('/var/lib/.wh..wh..opq'),
      entry('/opt/.wh..wh..opq'),
      entry('/.wh..wh..opq'),
      entry('/etc/.wh.unrelated.conf'),
      entry('/usr/lib', { type: 'symlink', linkTarget: '/opt' }),
      entry('/var/lib', { type: 'file' }),
      entry('/var/lib/dpkg/info', { type: 'file' }),
      entry('/opt', { type: 'file' }),
      entry('/opt/new.conf'),
      entry('/lib', { type: 'symlink', linkTarget: 'usr/lib' }),
    ];
    const answers = cases.map((e) => [layersTouch(log, [[e]], () => false), layersTouch(log, [[...padding, e]], () => false)]);
    expect(answers.map(([small]) => small)).toEqual(answers.map(([, big]) => big));
    expect(answers.map(([small]) => small)).toEqual([true, true, true, false, true, false, true, true, false, false, false, false]);
    // only the root looked up: the root still holds it (every walk up ends there)
    const rootOnly = createAccessLog();
    rootOnly.looked.set('/', 'dir');
    for (const layer of [[entry('/.wh..wh..opq')], [...padding, entry('/.wh..wh..opq')]]) expect(layersTouch(rootOnly, [layer], () => false)).toBe(true);
  });

  it('stops recording when told: later readers of the tree are not logged', async () => {
    const log = createAccessLog();
    const tree = createMemoryTree([dir('/etc'), file('/etc/a')], async () => Buffer.from('x'), { accessLog: log });
    await tree.readFile('/etc/a');
    log.recording = false;
    await tree.readFile('/etc/a');
    expect(tree.get('/etc/b')).toBeUndefined();
    expect([...log.read]).toEqual(['/etc/a']);
    expect(log.looked.has('/etc/b')).toBe(false);
  });
});
