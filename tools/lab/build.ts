/**
 * Builds real lab images for tests and benchmarks, cached under .cache/lab/<name>/<recipe-hash>/.
 *
 *   node tools/lab/build.ts <name> [--rootfs-only]     (prints the result as JSON)
 *
 * Stage 1 (rootfs/): Debian packages via apt-get download + dpkg -x with a genuine
 * /var/lib/dpkg (status, info/*.list, *.md5sums), npm packages via npm install, then
 * Stage 2 (image/): tar | podman import, podman build (multi-layer Dockerfile), podman save as
 * oci-archive and docker-archive, skopeo copy to an OCI layout (gzip) and to one with zstd layers.
 * Each stage is built in a temporary folder and renamed into place under a lock file, so
 * concurrent builders never see or corrupt a half-built cache.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, copyFileSync, chmodSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { withLock } from './cache.ts';
import { installDebs, downloadDebs, type InstalledPackage } from './debian.ts';
import { run, runShell, shellQuote } from './exec.ts';
import { LAB_DIR, labEnv } from './paths.ts';
import { CONTEXT_FILES, dockerfile, recipe, type Recipe } from './recipes.ts';

/** Bump when the builder's output changes in a way the recipes do not show. */
const BUILDER_VERSION = 3;

export interface LabRootfs {
  readonly name: string;
  readonly key: string;
  readonly dir: string;
  readonly rootfs: string;
  readonly dpkg: readonly InstalledPackage[];
  readonly npm: Readonly<Record<string, string>>;
}

export interface LabImage {
  readonly rootfs: string;
  readonly ociArchive: string;
  readonly dockerArchive: string;
  readonly ociLayout: string;
  readonly ociLayoutTag: string;
  readonly zstdLayout?: string;
  readonly podmanRef: string;
}

interface RootfsRecord {
  readonly name: string;
  readonly key: string;
  readonly dpkg: readonly InstalledPackage[];
  readonly npm: Readonly<Record<string, string>>;
  readonly seconds: number;
}

interface ImageRecord {
  readonly podmanRef: string;
  readonly ociLayoutTag: string;
  readonly seconds: number;
}

function log(message: string): void {
  process.stderr.write(`lab: ${message}\n`);
}

function tmpName(parent: string, prefix: string): string {
  return join(parent, `.${prefix}-${String(process.pid)}-${createHash('sha256').update(`${String(Date.now())}${String(Math.random())}`).digest('hex').slice(0, 8)}`);
}

/** The cache key: the recipe, its base's key, the Dockerfile and the builder version. */
export function recipeKey(name: string): string {
  const r = recipe(name);
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ BUILDER_VERSION, r, files: CONTEXT_FILES, dockerfile: dockerfile('BASE', r.name, 'KEY') }));
  if (r.base !== undefined) hash.update(recipeKey(r.base));
  return hash.digest('hex').slice(0, 16);
}

function prune(nameDir: string, keep: string): void {
  for (const entry of readdirSync(nameDir)) {
    if (entry === keep || entry === '.lock' || entry.startsWith('.')) continue;
    log(`pruning stale build ${join(nameDir, entry)}`);
    rmSync(join(nameDir, entry), { recursive: true, force: true });
  }
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Installs the recipe's own additions into `rootfs` (which already holds its base, if any). */
async function populateRootfs(r: Recipe, rootfs: string, base: LabRootfs | undefined): Promise<{ dpkg: InstalledPackage[]; npm: Record<string, string> }> {
  const dpkg: InstalledPackage[] = [...(base?.dpkg ?? [])];
  let npmDeps: Record<string, string> = { ...base?.npm };
  mkdirSync(rootfs, { recursive: true });
  if (r.debs.length > 0) {
    log(`${r.name}: apt-get download ${String(r.debs.length)} packages`);
    const files = await downloadDebs(r.debs);
    log(`${r.name}: dpkg -x + /var/lib/dpkg`);
    dpkg.push(...(await installDebs(rootfs, files)));
  }
  if (r.base === undefined) {
    // What base-passwd's postinst does on a first install.
    for (const [master, target] of [['passwd.master', 'etc/passwd'], ['group.master', 'etc/group']] as const) {
      const from = join(rootfs, 'usr/share/base-passwd', master);
      if (existsSync(from) && !existsSync(join(rootfs, target))) copyFileSync(from, join(rootfs, target));
    }
  }
  if (r.npm !== undefined) {
    const app = join(rootfs, 'app');
    mkdirSync(app, { recursive: true });
    npmDeps = { ...r.npm };
    writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: `lab-${r.name}`, version: '1.0.0', private: true, dependencies: npmDeps }, null, 2)}\n`);
    log(`${r.name}: npm install ${Object.keys(npmDeps).join(' ')}`);
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-update-notifier', '--loglevel=error'], { cwd: app });
  }
  for (const { from, to } of r.unowned ?? []) {
    mkdirSync(dirname(join(rootfs, to)), { recursive: true });
    copyFileSync(join(rootfs, from), join(rootfs, to));
    chmodSync(join(rootfs, to), statSync(join(rootfs, from)).mode & 0o7777);
  }
  return { dpkg, npm: npmDeps };
}

/** Stage 1: the root filesystem (cached). */
export async function buildRootfs(name: string): Promise<LabRootfs> {
  const r = recipe(name);
  const key = recipeKey(name);
  const nameDir = join(LAB_DIR, name);
  const dir = join(nameDir, key);
  const recordPath = join(dir, 'rootfs.json');
  const done = (): LabRootfs => {
    const record = readJson<RootfsRecord>(recordPath);
    return { name, key, dir, rootfs: join(dir, 'rootfs'), dpkg: record.dpkg, npm: record.npm };
  };
  if (existsSync(recordPath)) return done();
  // Build the base first, outside our lock (it takes its own).
  if (r.base !== undefined) await buildRootfs(r.base);
  return withLock(join(nameDir, '.lock'), async () => {
    if (existsSync(recordPath)) return done();
    const started = Date.now();
    log(`${name}: building rootfs (recipe ${key})`);
    const tmp = tmpName(nameDir, 'rootfs');
    try {
      const rootfs = join(tmp, 'rootfs');
      mkdirSync(tmp, { recursive: true });
      const base = r.base === undefined ? undefined : await buildRootfs(r.base);
      // cp -a keeps owners, modes, hard links and xattrs exactly.
      if (base !== undefined) await run('cp', ['-a', base.rootfs, rootfs]);
      const result = await populateRootfs(r, rootfs, base);
      const record: RootfsRecord = { name, key, ...result, seconds: (Date.now() - started) / 1000 };
      writeFileSync(join(tmp, 'rootfs.json'), `${JSON.stringify(record, null, 2)}\n`);
      prune(nameDir, key);
      renameSync(tmp, dir);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    log(`${name}: rootfs ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return done();
  });
}

function podman(args: readonly string[]): Promise<{ stdout: string }> {
  return run('podman', args, { env: labEnv() });
}

/** Stage 2: podman import + build, saved as OCI archive, docker archive, OCI layouts (cached). */
export async function buildImage(name: string): Promise<LabImage> {
  const fs = await buildRootfs(name);
  const imageDir = join(fs.dir, 'image');
  const recordPath = join(imageDir, 'image.json');
  const done = async (): Promise<LabImage> => {
    const record = readJson<ImageRecord>(recordPath);
    const exists = await run('podman', ['image', 'exists', record.podmanRef], { env: labEnv() }).then(
      () => true,
      () => false,
    );
    if (!exists) {
      log(`${name}: ${record.podmanRef} missing from podman storage; loading the docker archive`);
      await podman(['load', '-q', '-i', join(imageDir, 'image.docker.tar')]);
    }
    return {
      rootfs: fs.rootfs,
      ociArchive: join(imageDir, 'image.oci.tar'),
      dockerArchive: join(imageDir, 'image.docker.tar'),
      ociLayout: join(imageDir, 'oci'),
      ociLayoutTag: record.ociLayoutTag,
      zstdLayout: join(imageDir, 'oci-zstd'),
      podmanRef: record.podmanRef,
    };
  };
  if (existsSync(recordPath)) return done();
  return withLock(join(LAB_DIR, name, '.lock'), async () => {
    if (existsSync(recordPath)) return done();
    const started = Date.now();
    const tmp = tmpName(fs.dir, 'image');
    const baseRef = `localhost/tollgate-lab/${name}-rootfs:${fs.key}`;
    const podmanRef = `localhost/tollgate-lab/${name}:${fs.key}`;
    const tag = 'latest';
    try {
      mkdirSync(join(tmp, 'context/files'), { recursive: true });
      for (const [path, content] of Object.entries(CONTEXT_FILES)) {
        mkdirSync(dirname(join(tmp, 'context/files', path)), { recursive: true });
        writeFileSync(join(tmp, 'context/files', path), content);
      }
      writeFileSync(join(tmp, 'context/Dockerfile'), dockerfile(baseRef, name, fs.key));
      log(`${name}: podman import`);
      await runShell(`tar --numeric-owner --xattrs -C ${shellQuote(fs.rootfs)} -c . | podman import -q - ${shellQuote(baseRef)}`, { env: labEnv() });
      log(`${name}: podman build`);
      await podman(['build', '-q', '--format', 'docker', '--network', 'none', '--layers', '-t', podmanRef, join(tmp, 'context')]);
      log(`${name}: podman save (oci-archive, docker-archive)`);
      await podman(['save', '-q', '--format', 'oci-archive', '-o', join(tmp, 'image.oci.tar'), podmanRef]);
      await podman(['save', '-q', '--format', 'docker-archive', '-o', join(tmp, 'image.docker.tar'), podmanRef]);
      log(`${name}: skopeo copy (oci layout, zstd oci layout)`);
      await run('skopeo', ['copy', '-q', `oci-archive:${join(tmp, 'image.oci.tar')}`, `oci:${join(tmp, 'oci')}:${tag}`], { env: labEnv() });
      await run('skopeo', ['copy', '-q', '--dest-compress-format', 'zstd', `oci-archive:${join(tmp, 'image.oci.tar')}`, `oci:${join(tmp, 'oci-zstd')}:${tag}`], { env: labEnv() });
      const record: ImageRecord = { podmanRef, ociLayoutTag: tag, seconds: (Date.now() - started) / 1000 };
      writeFileSync(join(tmp, 'image.json'), `${JSON.stringify(record, null, 2)}\n`);
      renameSync(tmp, imageDir);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    log(`${name}: image ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return done();
  });
}

async function main(argv: readonly string[]): Promise<void> {
  const names = argv.filter((arg) => !arg.startsWith('--'));
  const rootfsOnly = argv.includes('--rootfs-only');
  if (names.length === 0) {
    process.stderr.write('usage: node tools/lab/build.ts <debian-base|node-app|big>... [--rootfs-only]\n');
    process.exitCode = 2;
    return;
  }
  const out: Record<string, unknown> = {};
  for (const name of names) out[name] = rootfsOnly ? await buildRootfs(name) : await buildImage(name);
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  await main(process.argv.slice(2));
}
