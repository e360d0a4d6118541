import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { labEnv, labImage, labRootfs, type LabImage, type LabRootfs } from '../../src/testing/lab.ts';
import { peersAvailable } from '../../src/testing/peers.ts';
import { withLock } from './cache.ts';
import { parseControl } from './debian.ts';
import { recipeKey } from './build.ts';

const env = (): NodeJS.ProcessEnv => ({ ...process.env, ...labEnv() });
const sh = (command: string, args: readonly string[]): string => execFileSync(command, args, { encoding: 'utf8', env: env(), maxBuffer: 256 * 1024 ** 2 });
const skopeoJson = <T>(...args: string[]): T => JSON.parse(sh('skopeo', ['inspect', ...args])) as T;

interface Manifest {
  layers: Array<{ mediaType: string; digest: string; size: number }>;
  config: { digest: string };
}
interface Config {
  rootfs: { diff_ids: string[] };
  config: { User?: string; Entrypoint?: string[]; Cmd?: string[]; Env?: string[]; Labels?: Record<string, string>; Healthcheck?: { Test: string[] } };
}

function stanza(status: string, name: string): string | undefined {
  return status.split('\n\n').find((block) => block.startsWith(`Package: ${name}\n`));
}

describe('lab cache lock', () => {
  it('serialises concurrent holders and takes over a stale lock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-lock-'));
    try {
      const lock = join(dir, '.lock');
      const events: string[] = [];
      const holder = async (id: string): Promise<void> =>
        withLock(lock, async () => {
          events.push(`in ${id}`);
          await sleep(50);
          events.push(`out ${id}`);
        });
      await Promise.all([holder('a'), holder('b')]);
      expect(events).toEqual(['in a', 'out a', 'in b', 'out b']);
      // A lock left by a process that no longer exists is stale.
      const dead = Number(execFileSync('sh', ['-c', 'sh -c "echo \\$\\$"'], { encoding: 'utf8' }).trim());
      writeFileSync(lock, `${String(dead)}\n`);
      await expect(withLock(lock, async () => 'taken', 5_000)).resolves.toBe('taken');
      expect(existsSync(lock)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keys builds by recipe', () => {
    expect(recipeKey('debian-base')).toMatch(/^[0-9a-f]{16}$/);
    expect(recipeKey('node-app')).not.toBe(recipeKey('debian-base'));
    expect(() => recipeKey('nope')).toThrow(/unknown lab image/);
  });
});

describe.skipIf(!peersAvailable('apt-get', 'dpkg-deb', 'npm'))('lab root filesystems from real Debian packages', () => {
  let base: LabRootfs;
  let app: LabRootfs;
  beforeAll(async () => {
    base = await labRootfs('debian-base');
    app = await labRootfs('node-app');
  });

  it('dpkg-query agrees with the installed package list', () => {
    for (const fs of [base, app]) {
      const out = sh('dpkg-query', [`--admindir=${join(fs.rootfs, 'var/lib/dpkg')}`, '-W', '-f', '${Package}\t${Version}\t${Architecture}\t${db:Status-Abbrev}\n']);
      const listed = out.trim().split('\n').map((line) => line.split('\t'));
      expect(listed.map(([name, version, arch]) => `${String(name)}=${String(version)}:${String(arch)}`).sort()).toEqual(
        fs.dpkg.map((p) => `${p.name}=${p.version}:${p.architecture}`).sort(),
      );
      for (const row of listed) expect(row[3]).toMatch(/^ii/);
    }
    expect(base.dpkg.length).toBeGreaterThanOrEqual(30);
    expect(app.dpkg.map((p) => p.name)).toEqual(expect.arrayContaining(['python3-requests', 'python3-six', 'bash']));
  });

  it('writes info/*.list files dpkg -S can use, and md5sums from the control archive', () => {
    const admin = join(base.rootfs, 'var/lib/dpkg');
    expect(sh('dpkg-query', [`--admindir=${admin}`, '-S', '/bin/bash']).trim()).toBe('bash: /bin/bash');
    expect(sh('dpkg-query', [`--admindir=${admin}`, '-S', '/lib/x86_64-linux-gnu/libc.so.6']).trim()).toBe('libc6:amd64: /lib/x86_64-linux-gnu/libc.so.6');
    const list = readFileSync(join(admin, 'info/coreutils.list'), 'utf8').split('\n');
    expect(list[0]).toBe('/.');
    expect(list).toContain('/bin/ls');
    // Every md5sums entry matches the extracted file (md5sum -c inside the rootfs).
    execFileSync('md5sum', ['--quiet', '-c', join(admin, 'info/coreutils.md5sums')], { cwd: base.rootfs });
  });

  it('writes status stanzas exactly as dpkg does (checked against this machine where versions agree)', () => {
    const host = readFileSync('/var/lib/dpkg/status', 'utf8');
    const lab = readFileSync(join(base.rootfs, 'var/lib/dpkg/status'), 'utf8');
    let compared = 0;
    for (const pkg of base.dpkg) {
      const ours = stanza(lab, pkg.name);
      const theirs = stanza(host, pkg.name);
      expect(ours).toBeDefined();
      if (theirs === undefined || !theirs.includes(`\nVersion: ${pkg.version}\n`)) continue;
      // Conffiles hold md5s of files as installed (the host may have edited its copies), and
      // Priority may be the archive's override at the time the host was installed.
      const strip = (text: string): string => text.replace(/\nConffiles:(\n .*)*/, '').replace(/\nPriority: .*/, '');
      expect(strip(ours ?? '')).toBe(strip(theirs));
      compared += 1;
    }
    expect(parseControl(stanza(lab, 'bash') ?? '').map(([k]) => k).slice(0, 3)).toEqual(['Package', 'Essential', 'Status']);
    if (existsSync('/var/lib/dpkg/info/libc6:amd64.list')) expect(compared).toBeGreaterThan(0);
  });

  it('has os-release from base-files and passwd from base-passwd', () => {
    expect(readFileSync(join(base.rootfs, 'etc/os-release'), 'utf8')).toMatch(/^VERSION_CODENAME=bookworm$/m);
    expect(readFileSync(join(base.rootfs, 'etc/passwd'), 'utf8')).toMatch(/^root:[x*]:0:0:/);
  });

  it('has a real node_modules that npm ls accepts, with nested conflicting versions', () => {
    const appDir = join(app.rootfs, 'app');
    const tree = JSON.parse(sh('npm', ['ls', '--all', '--json', '--prefix', appDir])) as { dependencies: Record<string, { version: string }>; problems?: string[] };
    expect(tree.problems ?? []).toEqual([]);
    expect(Object.keys(tree.dependencies).sort()).toEqual(Object.keys(app.npm).sort());
    const pkgVersion = (rel: string): string => (JSON.parse(readFileSync(join(appDir, rel, 'package.json'), 'utf8')) as { version: string }).version;
    expect(pkgVersion('node_modules/debug')).toMatch(/^4\./);
    expect(pkgVersion('node_modules/express/node_modules/debug')).toMatch(/^2\./);
    expect(existsSync(join(appDir, 'package-lock.json'))).toBe(true);
  });

  it('has Python metadata from Debian python3-* packages', () => {
    const dist = join(app.rootfs, 'usr/lib/python3/dist-packages');
    const meta = readdirSync(dist).filter((entry) => /\.(dist|egg)-info$/.test(entry));
    expect(meta.map((entry) => entry.split('-')[0]?.toLowerCase())).toEqual(expect.arrayContaining(['six', 'idna', 'certifi', 'urllib3', 'requests']));
  });
});

describe.skipIf(!peersAvailable('podman', 'runc', 'skopeo', 'apt-get', 'npm'))('lab images built with podman', () => {
  let image: LabImage;
  beforeAll(async () => {
    image = await labImage('debian-base');
  });

  it('caches: a second call is fast and returns the same paths', async () => {
    const started = Date.now();
    expect(await labImage('debian-base')).toEqual(image);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('skopeo reads all forms, and they agree on layers (diff ids) and config', () => {
    const forms = [
      `oci-archive:${image.ociArchive}`,
      `docker-archive:${image.dockerArchive}`,
      `oci:${image.ociLayout}:${image.ociLayoutTag}`,
      `oci:${String(image.zstdLayout)}:${image.ociLayoutTag}`,
    ];
    const configs = forms.map((form) => skopeoJson<Config>('--config', form));
    for (const config of configs) {
      expect(config.rootfs.diff_ids).toEqual(configs[0]?.rootfs.diff_ids);
      expect(config.config.User).toBe('app');
      expect(config.config.Entrypoint).toEqual(['/bin/sh', '-c']);
      expect(config.config.Labels?.['org.opencontainers.image.title']).toBe('tollgate-lab-debian-base');
      expect(config.config.Env).toContain('LAB_IMAGE=debian-base');
    }
    expect(configs[0]?.rootfs.diff_ids.length).toBeGreaterThanOrEqual(5);
    const zstd = skopeoJson<Manifest>('--raw', forms[3] ?? '');
    expect(zstd.layers.every((layer) => layer.mediaType === 'application/vnd.oci.image.layer.v1.tar+zstd')).toBe(true);
    const gzip = skopeoJson<Manifest>('--raw', forms[2] ?? '');
    expect(gzip.layers.every((layer) => layer.mediaType === 'application/vnd.oci.image.layer.v1.tar+gzip')).toBe(true);
    // HEALTHCHECK survives in the docker format only (OCI conversion drops it).
    const raw = JSON.parse(sh('skopeo', ['inspect', '--config', '--raw', forms[1] ?? ''])) as Config;
    expect(raw.config.Healthcheck?.Test).toEqual(['CMD', '/bin/true']);
  });

  it('the podman build layers hold a whiteout, an opaque dir, links and a setuid file', () => {
    const manifest = skopeoJson<Manifest>('--raw', `oci:${image.ociLayout}:${image.ociLayoutTag}`);
    const listing = manifest.layers
      .slice(1)
      .map((layer) => sh('tar', ['-tzvf', join(image.ociLayout, 'blobs', ...layer.digest.split(':'))]))
      .join('');
    expect(listing).toMatch(/ etc\/\.wh\.issue\.net$/m);
    expect(listing).toMatch(/ usr\/share\/doc\/base-passwd\/\.wh\.\.wh\.\.opq$/m);
    expect(listing).toMatch(/^l.* opt\/lab\/hello-link -> \/opt\/lab\/hello\.txt$/m);
    expect(listing).toMatch(/^h.* link to /m);
    expect(listing).toMatch(/^-rwsr-xr-x .* usr\/local\/bin\/lab-suid$/m);
  });

  it('is in the project podman storage under podmanRef', () => {
    const inspect = JSON.parse(sh('podman', ['image', 'inspect', image.podmanRef])) as Array<{ User: string; Healthcheck?: { Test: string[] } }>;
    expect(inspect[0]?.User).toBe('app');
    expect(inspect[0]?.Healthcheck?.Test).toEqual(['CMD', '/bin/true']);
  });
});
