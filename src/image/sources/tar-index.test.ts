import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { craftTar } from '../../testing/tar-craft.ts';
import { indexTarFile } from './tar-index.ts';

const LIMITS = { maxEntries: 1000, maxPathLength: 4096 };
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tollgate-tarindex-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString();
}

describe('indexTarFile', () => {
  it('indexes a GNU tar with long names and symlinks, and reads members in place', async () => {
    const src = join(work, 'src');
    const long = `${'d'.repeat(120)}/${'f'.repeat(130)}`;
    await mkdir(join(src, 'd'.repeat(120)), { recursive: true });
    await writeFile(join(src, long), 'long name');
    await writeFile(join(src, 'target.tar'), 'layer bytes');
    await mkdir(join(src, 'layer1'));
    await symlink('../target.tar', join(src, 'layer1', 'layer.tar'));
    const file = join(work, 'gnu.tar');
    execFileSync('tar', ['--format=gnu', '-C', src, '-cf', file, '.']);
    const index = await indexTarFile(file, LIMITS);
    const member = index.find(long);
    expect(member?.size).toBe(9);
    expect(await index.read(member!, 100)).toEqual(Buffer.from('long name'));
    const linked = index.find('layer1/layer.tar');
    expect(linked?.name).toBe('target.tar');
    expect(await streamText(index.open(linked!))).toBe('layer bytes');
    await expect(index.read(member!, 4)).rejects.toMatchObject({ code: 'LIMIT_MANIFEST_SIZE' });
    const pax = join(work, 'pax.tar');
    execFileSync('tar', ['--format=pax', '-C', src, '-cf', pax, '.']);
    expect((await indexTarFile(pax, LIMITS)).find(long)?.size).toBe(9);
  });

  it('does not follow symlinks out of the archive', async () => {
    const file = join(work, 'escape.tar');
    await writeFile(file, craftTar([{ name: 'a/link', type: '2', linkname: '../../etc/passwd' }, { name: 'abs', type: '2', linkname: '/etc/passwd' }]));
    const index = await indexTarFile(file, LIMITS);
    expect(index.find('a/link')).toBeUndefined();
    expect(index.find('abs')).toBeUndefined();
  });

  it.each([
    ['an absolute member', [{ name: '/x', body: 'x' }], 'ARCHIVE_ABSOLUTE_PATH'],
    ["a '..' member", [{ name: 'a/../../x', body: 'x' }], 'ARCHIVE_PATH_TRAVERSAL'],
    ['a harmless-looking inner ..', [{ name: 'a/../x', body: 'x' }], 'ARCHIVE_PATH_TRAVERSAL'],
  ] as const)('refuses %s', async (_name, entries, code) => {
    const file = join(work, `bad-${code}.tar`);
    await writeFile(file, craftTar(entries));
    await expect(indexTarFile(file, LIMITS)).rejects.toMatchObject({ code });
  });

  it('refuses too many members, compressed and truncated archives, and missing files', async () => {
    const many = join(work, 'many.tar');
    await writeFile(many, craftTar(Array.from({ length: 20 }, (_, i) => ({ name: `f${i}` }))));
    await expect(indexTarFile(many, { ...LIMITS, maxEntries: 5 })).rejects.toMatchObject({ code: 'LIMIT_ENTRY_COUNT' });
    const gz = join(work, 'x.tar.gz');
    execFileSync('gzip', ['-k', '-f', many]);
    execFileSync('mv', [`${many}.gz`, gz]);
    await expect(indexTarFile(gz, LIMITS)).rejects.toMatchObject({ code: 'ARCHIVE_COMPRESSION_UNSUPPORTED' });
    const cut = join(work, 'cut.tar');
    await writeFile(cut, craftTar([{ name: 'big', body: Buffer.alloc(5000) }]).subarray(0, 2048));
    await expect(indexTarFile(cut, LIMITS)).rejects.toMatchObject({ code: 'ARCHIVE_TRUNCATED' });
    await expect(indexTarFile(join(work, 'missing.tar'), LIMITS)).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
  });
});
