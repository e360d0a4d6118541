import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDirTree } from './dir-tree.ts';

let base: string;
let root: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'tollgate-dirtree-'));
  root = join(base, 'rootfs');
  await mkdir(join(root, 'etc'), { recursive: true });
  await mkdir(join(root, 'usr/lib'), { recursive: true });
  await writeFile(join(root, 'etc/os-release'), 'ID=debian\n');
  await writeFile(join(base, 'secret'), 'host secret\n');
  await writeFile(join(root, 'secret'), 'image secret\n');
  await symlink('/etc/os-release', join(root, 'usr/lib/os-release'));
  await symlink('../../../../secret', join(root, 'etc/climb'));
  await symlink('/usr/lib', join(root, 'lib'));
  await symlink('loop2', join(root, 'loop1'));
  await symlink('loop1', join(root, 'loop2'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('openDirTree', () => {
  it('walks the folder with lstat and lists sorted entries', async () => {
    const tree = await openDirTree(root, { hash: true });
    const paths = [...tree.entries()].map((e) => e.path);
    expect(paths).toEqual([...paths].sort());
    expect(paths).toContain('/');
    expect(paths).toContain('/usr/lib/os-release');
    expect(tree.get('/usr/lib/os-release')).toMatchObject({ type: 'symlink', linkTarget: '/etc/os-release', layer: 'dir:' });
    expect(tree.get('etc/os-release')?.sha256).toBe(createHash('sha256').update('ID=debian\n').digest('hex'));
    expect(tree.list('/').map((e) => e.path)).toEqual(['/etc', '/lib', '/loop1', '/loop2', '/secret', '/usr']);
    expect(tree.size).toBe(paths.length);
  });

  it('resolves absolute symlinks inside the root, not the host', async () => {
    const tree = await openDirTree(root);
    expect((await tree.readFile('/usr/lib/os-release')).toString()).toBe('ID=debian\n');
    expect((await tree.readFile('/lib/os-release')).toString()).toBe('ID=debian\n');
    expect(tree.resolve('/lib/os-release')?.path).toBe('/etc/os-release');
  });

  it('clamps relative symlinks that climb above the root at the root', async () => {
    const tree = await openDirTree(root);
    expect((await tree.readFile('/etc/climb')).toString()).toBe('image secret\n');
  });

  it('gives up on symlink loops and reports missing files', async () => {
    const tree = await openDirTree(root);
    expect(tree.resolve('/loop1')).toBeUndefined();
    await expect(tree.readFile('/loop1')).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    await expect(tree.readFile('/nope')).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    await expect(tree.readFile('/etc')).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('enforces the read limit and rejects a missing folder', async () => {
    const tree = await openDirTree(root, { maxFileReadBytes: 4 });
    await expect(tree.readFile('/etc/os-release')).rejects.toMatchObject({ code: 'LIMIT_FILE_SIZE' });
    await expect(openDirTree(join(base, 'missing'))).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    await expect(openDirTree(join(base, 'secret'))).rejects.toMatchObject({ code: 'SOURCE_INVALID' });
  });
});
