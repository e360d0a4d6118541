/**
 * docker-archive sources from real `podman save` output: a multi-image archive, selection by tag
 * and by position, and the synthesised Docker schema 2 manifest agreeing byte for byte with
 * `skopeo inspect --raw docker-archive:FILE:REF`.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labEnv } from '../../testing/lab.ts';
import { peersAvailable } from '../../testing/peers.ts';
import { readImage } from '../read-image.ts';

describe.skipIf(!peersAvailable('podman', 'skopeo'))('docker-archive from podman save', () => {
  let work: string;
  let archive: string;
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, ...labEnv() });
  const podman = (args: string[]): string => execFileSync('podman', args, { env: env() }).toString();
  const tag = (): string => `t${process.pid}`;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tollgate-dockerarchive-'));
    for (const name of ['one', 'two']) {
      const root = join(work, name);
      await mkdir(join(root, 'etc'), { recursive: true });
      await writeFile(join(root, 'etc', 'name'), `${name}\n`);
      execFileSync('tar', ['-C', root, '-cf', join(work, `${name}.tar`), '.']);
      podman(['import', '-q', '--change', `CMD ["/bin/${name}"]`, join(work, `${name}.tar`), `localhost/tollgate-test/${name}:${tag()}`]);
    }
    archive = join(work, 'multi.tar');
    podman(['save', '-q', '--multi-image-archive', '--format', 'docker-archive', '-o', archive, `localhost/tollgate-test/one:${tag()}`, `localhost/tollgate-test/two:${tag()}`]);
  }, 300_000);

  afterAll(async () => {
    podman(['rmi', '-f', `localhost/tollgate-test/one:${tag()}`, `localhost/tollgate-test/two:${tag()}`]);
    await rm(work, { recursive: true, force: true });
  });

  it.each(['one', 'two'])('selects %s by tag with the digest skopeo computes', async (name) => {
    const ref = `localhost/tollgate-test/${name}:${tag()}`;
    const raw = execFileSync('skopeo', ['inspect', '--raw', `docker-archive:${archive}:${ref}`]);
    const result = await readImage(`docker-archive:${archive}:${ref}`);
    expect(result.image.digest).toBe(`sha256:${createHash('sha256').update(raw).digest('hex')}`);
    expect(result.image.manifestBytes).toEqual(raw);
    expect(result.image.config.config?.Cmd).toEqual([`/bin/${name}`]);
    expect((await result.tree.readFile('/etc/name')).toString()).toBe(`${name}\n`);
  });

  it('describes a gzip-compressed layer member by diff id and uncompressed size, as skopeo does', async () => {
    const ref = `localhost/tollgate-test/one:${tag()}`;
    const single = join(work, 'single.tar');
    podman(['save', '-q', '--format', 'docker-archive', '-o', single, ref]);
    const dir = join(work, 'unpacked');
    await mkdir(dir);
    execFileSync('tar', ['-C', dir, '-xf', single]);
    const manifestPath = join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { Config: string; Layers: string[] }[];
    const layer = manifest[0]?.Layers[0] as string;
    execFileSync('sh', ['-c', 'gzip -n -c "$1" > "$2"', 'sh', join(dir, layer), join(dir, 'layer.gz')]);
    const image = manifest[0] as { Config: string; Layers: string[] };
    image.Layers = ['layer.gz'];
    await writeFile(manifestPath, JSON.stringify(manifest));
    const compressed = join(work, 'compressed.tar');
    execFileSync('tar', ['-C', dir, '-cf', compressed, 'manifest.json', 'layer.gz', image.Config]);
    const raw = execFileSync('skopeo', ['inspect', '--raw', `docker-archive:${compressed}`]);
    const result = await readImage(`docker-archive:${compressed}`);
    expect(result.image.manifestBytes).toEqual(raw);
    expect(result.layers[0]?.compression).toBe('gzip');
    expect((await result.tree.readFile('/etc/name')).toString()).toBe('one\n');
  });

  it('selects by position, and needs a selector when the archive holds several images', async () => {
    const second = await readImage(`docker-archive:${archive}@1`);
    const raw = execFileSync('skopeo', ['inspect', '--raw', `docker-archive:${archive}:@1`]);
    expect(second.image.digest).toBe(`sha256:${createHash('sha256').update(raw).digest('hex')}`);
    await expect(readImage(`docker-archive:${archive}`)).rejects.toMatchObject({ code: 'SOURCE_INVALID' });
    await expect(readImage(`docker-archive:${archive}:localhost/nope:1`)).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
  });
});
