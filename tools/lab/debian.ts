import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, copyFileSync, lstatSync, mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { withLock } from './cache.ts';
import { run } from './exec.ts';
import { DEB_CACHE_DIR } from './paths.ts';

/** A downloaded .deb and its control fields, in the order the package declares them. */
export interface Deb {
  readonly file: string;
  readonly fields: ReadonlyArray<readonly [string, string]>;
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
  readonly multiArch?: string;
}

/** What a package installs, for ground truth: dpkg-query -W lists exactly these. */
export interface InstalledPackage {
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
  readonly source?: string;
}

/**
 * Downloads the packages with `apt-get download` (apt's own sources, keys and signature checks;
 * no mirror host in this repository) into the shared deb cache, once per file name.
 * Returns the .deb paths in apt's order.
 */
export async function downloadDebs(packages: readonly string[]): Promise<string[]> {
  mkdirSync(DEB_CACHE_DIR, { recursive: true });
  // Asked in an empty folder: apt leaves out files already present in the current directory.
  const empty = mkdtempSync(join(DEB_CACHE_DIR, '.uris-'));
  const { stdout } = await run('apt-get', ['download', '--print-uris', ...packages], { cwd: empty }).finally(() => rmSync(empty, { recursive: true, force: true }));
  // 'URI' file_name size SHA256:hash
  const files: string[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^'[^']+' (\S+\.deb) \d+ /.exec(line);
    if (match?.[1] !== undefined) files.push(match[1]);
  }
  if (files.length !== packages.length) {
    throw new Error(`apt-get download --print-uris gave ${String(files.length)} files for ${String(packages.length)} packages; run 'apt-get update'`);
  }
  // apt lists the files in its own order; file names are <package>_<version>_<arch>.deb.
  // A request may pin a version (`curl=7.88.1-10+deb12u5`): download exactly what was asked for.
  const requested = (file: string): string => {
    const name = file.split('_')[0] ?? file;
    return packages.find((spec) => spec.split('=')[0] === name) ?? name;
  };
  const missing = (): string[] => files.filter((file) => !existsSync(join(DEB_CACHE_DIR, file))).map(requested);
  if (missing().length > 0) {
    await withLock(join(DEB_CACHE_DIR, '.lock'), async () => {
      const still = missing();
      if (still.length === 0) return;
      // Download into a private folder, then move: a half-downloaded .deb never appears in the cache.
      const tmp = mkdtempSync(join(DEB_CACHE_DIR, '.dl-'));
      try {
        await run('apt-get', ['download', '-q', ...still], { cwd: tmp });
        for (const file of readdirSync(tmp)) copyFileSync(join(tmp, file), join(DEB_CACHE_DIR, file));
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });
  }
  return files.map((file) => join(DEB_CACHE_DIR, file));
}

/** Parses a deb822 control paragraph, keeping field order and continuation lines verbatim. */
export function parseControl(text: string): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      const last = fields.at(-1);
      if (last === undefined) throw new Error(`control continuation line without a field: ${line}`);
      last[1] += `\n${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`malformed control line: ${line}`);
    fields.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  return fields;
}

function field(fields: ReadonlyArray<readonly [string, string]>, name: string): string | undefined {
  return fields.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}

/**
 * The order dpkg writes known fields to /var/lib/dpkg/status (lib/dpkg/parse.c fieldinfos);
 * fields dpkg does not know (Homepage, Built-Using…) follow in control order.
 */
const DPKG_FIELD_ORDER = [
  'Package', 'Essential', 'Protected', 'Status', 'Priority', 'Section', 'Installed-Size', 'Origin',
  'Maintainer', 'Bugs', 'Architecture', 'Multi-Arch', 'Source', 'Version', 'Config-Version',
  'Replaces', 'Provides', 'Depends', 'Pre-Depends', 'Recommends', 'Suggests', 'Breaks', 'Conflicts',
  'Enhances', 'Conffiles', 'Description', 'Triggers-Pending', 'Triggers-Awaited',
] as const;

/** Builds the status stanza dpkg would write for an installed package. */
export function statusStanza(fields: ReadonlyArray<readonly [string, string]>, conffiles: ReadonlyArray<readonly [string, string]>): string {
  const all: Array<[string, string]> = fields.map(([k, v]) => [k, v]);
  all.push(['Status', 'install ok installed']);
  if (conffiles.length > 0) all.push(['Conffiles', conffiles.map(([path, md5]) => `\n ${path} ${md5}`).join('')]);
  const rank = (key: string): number => {
    const index = DPKG_FIELD_ORDER.findIndex((known) => known.toLowerCase() === key.toLowerCase());
    return index === -1 ? DPKG_FIELD_ORDER.length : index;
  };
  const ordered = all.map((entry, index) => ({ entry, index })).sort((a, b) => rank(a.entry[0]) - rank(b.entry[0]) || a.index - b.index);
  return ordered.map(({ entry: [k, v] }) => (v.startsWith('\n') ? `${k}:${v}` : `${k}: ${v}`)).join('\n') + '\n';
}

async function readDeb(file: string): Promise<Deb> {
  const { stdout } = await run('dpkg-deb', ['-f', file]);
  const fields = parseControl(stdout);
  const name = field(fields, 'Package');
  const version = field(fields, 'Version');
  const architecture = field(fields, 'Architecture');
  if (name === undefined || version === undefined || architecture === undefined) throw new Error(`${file}: control lacks Package/Version/Architecture`);
  const multiArch = field(fields, 'Multi-Arch');
  return { file, fields, name, version, architecture, ...(multiArch !== undefined ? { multiArch } : {}) };
}

/**
 * Installs .debs into `rootfs` the way dpkg would record them, without running maintainer
 * scripts: `dpkg -x` the data, then /var/lib/dpkg/status (control fields + Status: install ok
 * installed, in dpkg's field order), info/<pkg>[:arch].list from `dpkg-deb -c`, and the control
 * archive's md5sums, conffiles and scripts as info/<pkg>[:arch].<file>.
 * Appends to an existing status file, so a derived recipe can add packages to its base.
 */
export async function installDebs(rootfs: string, files: readonly string[]): Promise<InstalledPackage[]> {
  const admin = join(rootfs, 'var/lib/dpkg');
  const info = join(admin, 'info');
  for (const dir of [info, join(admin, 'updates'), join(admin, 'triggers'), join(admin, 'alternatives')]) mkdirSync(dir, { recursive: true });
  const statusPath = join(admin, 'status');
  let status = existsSync(statusPath) ? readFileSync(statusPath, 'utf8') : '';
  const installed: InstalledPackage[] = [];
  const debs: Deb[] = [];
  for (const file of files) debs.push(await readDeb(file));
  for (const deb of debs) {
    const file = deb.file;
    await run('dpkg', ['-x', file, rootfs]);
    const infoName = deb.multiArch === 'same' ? `${deb.name}:${deb.architecture}` : deb.name;

    // Control archive: md5sums, conffiles, maintainer scripts, shlibs, triggers…
    const control = mkdtempSync(join(rootfs, '..', '.control-'));
    let conffiles: Array<[string, string]> = [];
    try {
      await run('dpkg-deb', ['-e', file, control]);
      for (const entry of readdirSync(control)) {
        if (entry === 'control') continue;
        const target = join(info, `${infoName}.${entry}`);
        copyFileSync(join(control, entry), target);
        chmodSync(target, lstatSync(join(control, entry)).mode & 0o7777);
      }
      const conffilesPath = join(control, 'conffiles');
      if (existsSync(conffilesPath)) {
        conffiles = readFileSync(conffilesPath, 'utf8')
          .split('\n')
          .filter((line) => line.startsWith('/'))
          .map((line) => line.split(/\s+/)[0] ?? line)
          .map((path): [string, string] => {
            const onDisk = join(rootfs, path);
            const md5 = existsSync(onDisk) ? createHash('md5').update(readFileSync(onDisk)).digest('hex') : 'newconffile';
            return [path, md5];
          });
      }
    } finally {
      rmSync(control, { recursive: true, force: true });
    }

    // info/<pkg>.list: "/." then every path of the data archive, directories without a slash.
    const listing = await run('bash', ['-o', 'pipefail', '-c', 'dpkg-deb --fsys-tarfile "$0" | tar -t', file]);
    const paths = listing.stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.replace(/^\.\/?/, '/').replace(/(.)\/$/, '$1'))
      .map((line) => (line === '/' ? '/.' : line));
    writeFileSync(join(info, `${infoName}.list`), `${paths.join('\n')}\n`);

    if (status !== '' && !status.endsWith('\n\n')) status += '\n';
    // The .deb's own fields, as `dpkg -i` records them (an archive install may carry the
    // archive's Priority override instead).
    status += statusStanza(deb.fields, conffiles);
    const source = field(deb.fields, 'Source');
    installed.push({ name: deb.name, version: deb.version, architecture: deb.architecture, ...(source !== undefined ? { source } : {}) });
  }
  if (status !== '' && !status.endsWith('\n\n')) status += '\n';
  writeFileSync(statusPath, status);
  // info/format 1: the multiarch-aware info layout (<pkg>:<arch>.list for Multi-Arch: same).
  writeFileSync(join(info, 'format'), '1\n');
  for (const empty of ['available', 'diversions', 'statoverride']) {
    if (!existsSync(join(admin, empty))) writeFileSync(join(admin, empty), '');
  }
  return installed;
}
