/**
 * Agreement with the real peers on real lab images (tools/lab: Debian packages + npm + podman build):
 * `tollgate inspect --format json` must agree with `skopeo inspect --raw` / `--config` on digests,
 * layers and config, for the OCI archive, docker archive, OCI layout and zstd layout forms; and the
 * squashed file index must equal what `umoci unpack` writes to disk (paths, types, sha256, links).
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageInspection } from '../services/image.ts';
import { labImage, type LabImage } from '../testing/lab.ts';
import { describeIndex, walkRootfs, type Described } from '../testing/rootfs-compare.ts';
import { peersAvailable } from '../testing/peers.ts';

const MAIN = new URL('../cli/main.ts', import.meta.url).pathname;

function skopeo(args: string[]): Buffer {
  return execFileSync('skopeo', ['inspect', ...args], { maxBuffer: 64 * 1024 * 1024 });
}

describe.skipIf(!peersAvailable('podman', 'skopeo', 'umoci'))('agreement with skopeo and umoci on lab images', () => {
  let img: LabImage;
  let work: string;
  const results = new Map<string, ImageInspection>();

  beforeAll(async () => {
    img = await labImage('node-app');
    work = await mkdtemp(join(tmpdir(), 'tollgate-agree-'));
  }, 900_000);
  afterAll(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  const forms: Record<string, () => string> = {
    'oci-archive': () => `oci-archive:${img.ociArchive}`,
    'docker-archive': () => `docker-archive:${img.dockerArchive}`,
    oci: () => `oci:${img.ociLayout}:${img.ociLayoutTag}`,
    'oci (zstd layers)': () => `oci:${img.zstdLayout as string}:${img.ociLayoutTag}`,
  };

  it.each(Object.keys(forms))('%s: digest, layers and config agree with skopeo', (form) => {
    const source = (forms[form] as () => string)();
    const out = execFileSync(process.execPath, [MAIN, '--data-dir', join(work, 'data'), 'inspect', source, '--format', 'json', '--files'], {
      maxBuffer: 512 * 1024 * 1024,
    });
    const ours = JSON.parse(out.toString()) as ImageInspection;
    results.set(form, ours);
    const raw = skopeo(['--raw', source]);
    const manifest = JSON.parse(raw.toString()) as {
      mediaType?: string;
      config: { digest: string; size: number };
      layers: { digest: string; size: number; mediaType: string }[];
    };
    expect(ours.digest).toBe(`sha256:${createHash('sha256').update(raw).digest('hex')}`);
    expect(ours.configDigest).toBe(manifest.config.digest);
    expect(ours.layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType }))).toEqual(
      manifest.layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType })),
    );
    if (manifest.mediaType !== undefined) expect(ours.mediaType).toBe(manifest.mediaType);

    const rawConfig = skopeo(['--config', '--raw', source]);
    expect(ours.configDigest).toBe(`sha256:${createHash('sha256').update(rawConfig).digest('hex')}`);
    const config = JSON.parse(rawConfig.toString()) as {
      os: string;
      architecture: string;
      rootfs: { diff_ids: string[] };
      config: { User?: string; Entrypoint?: string[]; Cmd?: string[]; Env?: string[]; Labels?: Record<string, string>; WorkingDir?: string; Healthcheck?: unknown };
    };
    expect(ours.platform).toBe(`${config.os}/${config.architecture}`);
    expect(ours.layers.map((l) => l.diffId)).toEqual(config.rootfs.diff_ids);
    expect(ours.config.user).toBe(config.config.User ?? null);
    expect(ours.config.entrypoint).toEqual(config.config.Entrypoint ?? null);
    expect(ours.config.cmd).toEqual(config.config.Cmd ?? null);
    expect(ours.config.env).toEqual(config.config.Env ?? []);
    expect(ours.config.labels).toEqual(config.config.Labels ?? {});
    expect(ours.config.workingDir).toBe(config.config.WorkingDir ?? null);
    expect(ours.config.healthcheck).toEqual(config.config.Healthcheck ?? null);
    expect(ours.fileCount).toBe(ours.files?.length);
  });

  it('builds the same file index from every form, equal to what umoci unpack writes', () => {
    const indexes = [...results.values()].map((r) => describeIndex(r.files ?? []));
    expect(indexes.length).toBe(Object.keys(forms).length);
    for (const other of indexes.slice(1)) expect(other).toEqual(indexes[0]);
    const bundle = join(work, 'bundle');
    execFileSync('umoci', ['unpack', '--image', `${img.ociLayout}:${img.ociLayoutTag}`, bundle], { stdio: 'ignore' });
    const peer = walkRootfs(join(bundle, 'rootfs'));
    const ours = indexes[0] as Described[];
    expect(ours.length).toBeGreaterThan(1000);
    expect(ours.map((e) => e.path)).toEqual(peer.map((e) => e.path));
    expect(ours).toEqual(peer);
  });
});
