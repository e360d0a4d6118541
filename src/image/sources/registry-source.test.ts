/**
 * Registry sources against a real CNCF distribution registry (docker-registry on 127.0.0.1, basic
 * auth), filled by skopeo: `tollgate inspect` must agree with `skopeo inspect` on the same
 * references, pick platforms from an index like skopeo, and build the same file index as from
 * the local archive.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../config/index.ts';
import { silentLogger } from '../../core/logger.ts';
import { createRegistryClient } from '../../oci/index.ts';
import { makeImageServices, type ImageInspection } from '../../services/image.ts';
import { labImage, type LabImage } from '../../testing/lab.ts';
import { writeOciIndexLayout, type CraftedIndex } from '../../testing/oci-craft.ts';
import { peersAvailable } from '../../testing/peers.ts';
import { registryAvailable, startRegistry, type TestRegistry } from '../../testing/registry.ts';
import { describeIndex } from '../../testing/rootfs-compare.ts';
import { craftTar, gzip } from '../../testing/tar-craft.ts';
import { readImage } from '../read-image.ts';

const MAIN = new URL('../../cli/main.ts', import.meta.url).pathname;

describe.skipIf(!peersAvailable('skopeo', 'podman') || !registryAvailable())('registry sources (docker-registry + skopeo)', () => {
  let registry: TestRegistry;
  let img: LabImage;
  let work: string;
  let multi: CraftedIndex;
  const creds = (): string => `${registry.username}:${registry.password}`;
  const skopeo = (args: string[]): Buffer =>
    execFileSync('skopeo', [...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, REGISTRY_AUTH_FILE: join(work, 'auth.json') } });
  const cli = (args: string[], withCreds = true): ImageInspection =>
    JSON.parse(
      execFileSync(process.execPath, [MAIN, '--data-dir', join(work, 'data'), `--insecure-registry=${registry.host}`, 'inspect', ...args, '--format', 'json'], {
        maxBuffer: 512 * 1024 * 1024,
        env: {
          ...process.env,
          ...(withCreds ? { TOLLGATE_REGISTRY_USERNAME: registry.username, TOLLGATE_REGISTRY_PASSWORD: registry.password } : {}),
        },
      }).toString(),
    ) as ImageInspection;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tollgate-regsrc-'));
    img = await labImage('debian-base');
    registry = await startRegistry({ auth: 'htpasswd' });
    skopeo(['copy', '-q', '--dest-tls-verify=false', '--dest-creds', creds(), `oci-archive:${img.ociArchive}`, `docker://${registry.host}/lab/base:1`]);
    const layer = (text: string): { layers: Buffer[]; tars: Buffer[] } => {
      const tar = craftTar([{ name: 'etc/', type: '5' }, { name: 'etc/arch', body: text }]);
      return { layers: [gzip(tar)], tars: [tar] };
    };
    multi = writeOciIndexLayout(join(work, 'multi'), [
      { ...layer('amd64'), architecture: 'amd64' },
      { ...layer('arm64'), architecture: 'arm64', variant: 'v8' },
    ]);
    skopeo(['copy', '-q', '--all', '--dest-tls-verify=false', '--dest-creds', creds(), `oci:${multi.dir}:multi`, `docker://${registry.host}/lab/multi:1`]);
  }, 900_000);

  afterAll(async () => {
    await registry?.stop();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('agrees with skopeo on digest, layers and config, with basic auth from the environment', async () => {
    const ref = `${registry.host}/lab/base:1`;
    const ours = cli([`registry:${ref}`, '--files']);
    const raw = skopeo(['inspect', '--raw', '--tls-verify=false', '--creds', creds(), `docker://${ref}`]);
    const manifest = JSON.parse(raw.toString()) as { config: { digest: string }; layers: { digest: string; size: number; mediaType: string }[] };
    expect(ours.digest).toBe(`sha256:${createHash('sha256').update(raw).digest('hex')}`);
    expect(ours.sourceKind).toBe('registry');
    expect(ours.configDigest).toBe(manifest.config.digest);
    expect(ours.layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType }))).toEqual(
      manifest.layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType })),
    );
    const config = JSON.parse(skopeo(['inspect', '--config', '--raw', '--tls-verify=false', '--creds', creds(), `docker://${ref}`]).toString()) as {
      config: { User?: string; Env?: string[]; Cmd?: string[]; Entrypoint?: string[]; Labels?: Record<string, string> };
    };
    expect(ours.config.env).toEqual(config.config.Env ?? []);
    expect(ours.config.cmd).toEqual(config.config.Cmd ?? null);
    expect(ours.config.labels).toEqual(config.config.Labels ?? {});
    const local = await readImage(`oci-archive:${img.ociArchive}`);
    expect(describeIndex(ours.files ?? [])).toEqual(describeIndex(local.index));
  });

  it('a bare reference picks the platform from an index like skopeo', () => {
    const ref = `${registry.host}/lab/multi:1`;
    const rawIndex = skopeo(['inspect', '--raw', '--tls-verify=false', '--creds', creds(), `docker://${ref}`]);
    const arm = cli([ref, '--platform', 'linux/arm64']);
    // skopeo's own index, as stored in the registry: the arm64/v8 entry is what must be picked
    const peerIndex = JSON.parse(rawIndex.toString()) as { manifests: { digest: string; platform: { architecture: string; variant?: string } }[] };
    const peerArm = { Digest: peerIndex.manifests.find((m) => m.platform.architecture === 'arm64')?.digest };
    const armRaw = skopeo(['inspect', '--raw', '--tls-verify=false', '--creds', creds(), `docker://${registry.host}/lab/multi@${String(peerArm.Digest)}`]);
    expect(`sha256:${createHash('sha256').update(armRaw).digest('hex')}`).toBe(peerArm.Digest);
    expect(arm.indexDigest).toBe(`sha256:${createHash('sha256').update(rawIndex).digest('hex')}`);
    expect(arm.digest).toBe(peerArm.Digest);
    expect(arm.platform).toBe('linux/arm64/v8');
    const amd = cli([ref, '--platform', 'linux/amd64']);
    expect(amd.digest).toBe(multi.manifests.find((m) => m.platform === 'linux/amd64')?.digest);
  });

  it('fails with stable codes for a missing tag, missing credentials and an absent platform', async () => {
    const config = ConfigSchema.parse({ dataDir: join(work, 'data2'), registry: { insecure: [registry.host], retries: 0 } });
    const services = (withCreds: boolean) =>
      makeImageServices({
        config,
        env: { noColor: true, ci: false },
        log: silentLogger,
        registry: createRegistryClient({
          insecure: [registry.host],
          retries: 0,
          ...(withCreds ? { credentials: () => ({ username: registry.username, password: registry.password }) } : {}),
        }),
      });
    await expect(services(true).inspectImage(`${registry.host}/lab/base:nope`)).rejects.toMatchObject({ code: 'OCI_MANIFEST_UNKNOWN' });
    await expect(services(false).inspectImage(`${registry.host}/lab/base:1`)).rejects.toMatchObject({ code: 'OCI_AUTH_FAILED' });
    await expect(services(true).inspectImage(`${registry.host}/lab/multi:1`, { platform: 'linux/s390x' })).rejects.toMatchObject({
      code: 'PLATFORM_NOT_FOUND',
    });
  });

  it('selects platforms from an index in an OCI layout too', async () => {
    const arm = await readImage(`oci:${multi.dir}:multi`, { platform: { os: 'linux', architecture: 'arm64' } });
    expect(arm.image.digest).toBe(multi.manifests.find((m) => m.platform === 'linux/arm64/v8')?.digest);
    expect(arm.image.indexDigest).toBe(multi.indexDigest);
    expect((await arm.tree.readFile('/etc/arch')).toString()).toBe('arm64');
  });
});
