/**
 * The npm peers of the full benchmarks (@cyclonedx/cdxgen, snyk-docker-plugin, @renovatebot/osv-offline-db), installed on demand
 * into the git-ignored .cache/bench-peers from bench/peers/package.json + package-lock.json (exact
 * versions, their own lock), never by the root `npm ci`: cdxgen alone brings ~155 MB of plugins, and
 * its lock cannot satisfy `npm ci` (cdxgen's @cdxgen/safer-exec lists optional per-platform packages
 * that were never published, so npm leaves them out of any lock file and `npm ci` then refuses the
 * lock as "Missing: … from lock file"). So the install is `npm install` with the committed lock
 * copied in (every version pinned by the lock; the unpublished optional packages are skipped), with
 * `--ignore-scripts` (no native builds: ssh2 and cpu-features fall back to JavaScript).
 * Idempotent: a stamp file holds the sha256 of the two committed files; a matching stamp means
 * installed. Serialised with flock(1) so two benchmark runs never install at once.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE = join(REPO_ROOT, 'bench/peers');
/** Where the peers are installed (git-ignored: .cache/ is in .gitignore). */
export const PEERS_DIR = join(REPO_ROOT, '.cache/bench-peers');
const STAMP = join(PEERS_DIR, '.tollgate-installed');
const FILES = ['package.json', 'package-lock.json'] as const;

/** sha256 of the committed package.json and package-lock.json: what an install was made from. */
function wanted(): string {
  const hash = createHash('sha256');
  for (const file of FILES) hash.update(readFileSync(join(SOURCE, file)));
  return hash.digest('hex');
}

function installed(): boolean {
  return existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === wanted();
}

function run(command: string, args: readonly string[], log: (message: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const text = Buffer.concat(output).toString('utf8');
      if (code === 0) {
        const summary = text.split('\n').filter((line) => /^(added|up to date|changed|removed)/.test(line));
        if (summary.length > 0) log(`peers: ${summary.join('; ')}`);
        resolve();
      } else {
        reject(new Error(`${command} ${args.join(' ')} exited ${String(code)}:\n${text.slice(-3000)}`));
      }
    });
  });
}

/**
 * Installs the peers into PEERS_DIR unless already installed from the same package.json and lock;
 * returns PEERS_DIR/node_modules.
 */
export async function ensureBenchPeers(log: (message: string) => void): Promise<string> {
  const modules = join(PEERS_DIR, 'node_modules');
  if (installed()) return modules;
  mkdirSync(PEERS_DIR, { recursive: true });
  log(`peers: installing bench/peers (cdxgen, snyk-docker-plugin, osv-offline-db; ~200 MB) into ${PEERS_DIR}`);
  const script = [
    // Under the lock another run may have finished the same install meanwhile.
    `if [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; then exit 0; fi`,
    `rm -f "$1"`,
    `cp "$3/package.json" "$3/package-lock.json" "$4/"`,
    `npm install --prefix "$4" --ignore-scripts --no-audit --no-fund --no-save --loglevel=error`,
    `printf '%s\\n' "$2" > "$1"`,
  ].join(' && ');
  await run('flock', [`${PEERS_DIR}.lock`, 'sh', '-c', script, 'sh', STAMP, wanted(), SOURCE, PEERS_DIR], log);
  if (!installed()) throw new Error(`bench peers in ${PEERS_DIR} do not match bench/peers after installing`);
  return modules;
}
