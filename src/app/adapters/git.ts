import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../core/errors.ts';
import type { CommitSignatureRecord, GitPort, SignatureKind, SignatureTrust } from '../../source/git-port.ts';

/**
 * The GitPort backed by the git binary. Hardened for hostile repositories: every call overrides
 * the config keys that would make git run a program named by the repository (gpg.program,
 * gpg.ssh.program, core.fsmonitor, core.hooksPath…), and OpenPGP verification runs in a
 * throw-away GNUPGHOME holding only the given keyring, never the user's.
 */

const MAX_BUFFER = 256 * 1024 * 1024;

interface RunOptions {
  readonly input?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Exit codes that are not failures. */
  readonly okCodes?: readonly number[];
}

const SAFE_CONFIG = [
  '-c', 'gpg.program=gpg',
  '-c', 'gpg.ssh.program=ssh-keygen',
  '-c', 'gpg.x509.program=gpgsm',
  '-c', 'core.fsmonitor=false',
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'log.showSignature=false',
  '-c', 'gpg.ssh.revocationFile=',
];

function run(repo: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  return runBuffer(repo, args, options).then((b) => b.toString('utf8'));
}

function runBuffer(repo: string, args: readonly string[], options: RunOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      ['-C', repo, ...SAFE_CONFIG, ...args],
      { maxBuffer: MAX_BUFFER, encoding: 'buffer', env: { ...options.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', PATH: options.env?.['PATH'] ?? '' } },
      (error, stdout, stderrBuffer) => {
        const stderr = stderrBuffer.toString('utf8');
        if (error === null) return resolve(stdout);
        const code = typeof error.code === 'number' ? error.code : undefined;
        if (code !== undefined && options.okCodes?.includes(code)) return resolve(stdout);
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return reject(new AppError('PEER_MISSING', 'git is not installed or not on PATH', { cause: error }));
        }
        reject(new AppError('GIT_FAILED', 'git failed', { cause: error, details: { command: args[0] ?? '', stderr: stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 400) } }));
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

function kindOfCommit(raw: string): SignatureKind {
  const headerEnd = raw.indexOf('\n\n');
  const header = headerEnd < 0 ? raw : raw.slice(0, headerEnd);
  const m = /^gpgsig(?:-sha256)? (.*)$/m.exec(header);
  if (m === null) return 'none';
  if (m[1]?.includes('SSH SIGNATURE')) return 'ssh';
  if (m[1]?.includes('PGP SIGNATURE')) return 'openpgp';
  if (m[1]?.includes('SIGNED MESSAGE')) return 'x509';
  return 'openpgp';
}

/** Reads raw commit objects through one `git cat-file --batch`. */
async function commitKinds(repo: string, shas: readonly string[], env: Record<string, string>): Promise<Map<string, SignatureKind>> {
  const out = await runBuffer(repo, ['cat-file', '--batch'], { input: `${shas.join('\n')}\n`, env });
  const kinds = new Map<string, SignatureKind>();
  let pos = 0;
  while (pos < out.length) {
    const nl = out.indexOf(0x0a, pos);
    if (nl < 0) break;
    const [sha, type, size] = out.subarray(pos, nl).toString('utf8').split(' ');
    if (sha === undefined || type === undefined || size === undefined || type === 'missing') throw new AppError('GIT_FAILED', 'a commit of the range is missing', { details: { sha: sha ?? '' } });
    const bytes = Number(size);
    kinds.set(sha, kindOfCommit(out.subarray(nl + 1, nl + 1 + bytes).toString('utf8')));
    pos = nl + 1 + bytes + 1; // object bytes, then a newline
  }
  return kinds;
}

export interface GitAdapterOptions {
  /** PATH for git and the tools it runs (gpg, ssh-keygen). */
  readonly path: string;
}

export function makeGitAdapter(options: GitAdapterOptions): GitPort {
  const baseEnv = { PATH: options.path };
  return {
    async listFiles(repo) {
      const out = await run(repo, ['ls-files', '-z', '--cached'], { env: baseEnv });
      return out.split('\0').filter((p) => p !== '');
    },

    async readFile(repo, path) {
      if (path.split('/').includes('..') || path.startsWith('/')) throw new AppError('INPUT_INVALID', 'path escapes the repository', { details: { path } });
      try {
        return await readFile(join(repo, path), 'utf8');
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new AppError('IO_FAILED', 'cannot read a repository file', { cause, details: { path } });
      }
    },

    async revList(repo, range) {
      const out = await run(repo, ['rev-list', '--end-of-options', range, '--'], { env: baseEnv });
      return out.split('\n').filter((s) => /^[0-9a-f]{40,64}$/.test(s));
    },

    async commitSignatures(repo: string, shas: readonly string[], trust: SignatureTrust): Promise<readonly CommitSignatureRecord[]> {
      const tmp = await mkdtemp(join(tmpdir(), 'tollgate-verify-'));
      try {
        const gnupgHome = join(tmp, 'gnupg');
        const env: Record<string, string> = { ...baseEnv, GNUPGHOME: gnupgHome, HOME: tmp };
        await mkdir(gnupgHome, { mode: 0o700 });
        if (trust.keyring !== undefined) {
          const keyringPath = join(tmp, 'keyring');
          await writeFile(keyringPath, trust.keyring, { mode: 0o600 });
          await importKeyring(keyringPath, env);
        }
        const config: string[] = [];
        if (trust.allowedSigners !== undefined) {
          const allowed = join(tmp, 'allowed_signers');
          await writeFile(allowed, trust.allowedSigners, { mode: 0o600 });
          config.push('-c', `gpg.ssh.allowedSignersFile=${allowed}`);
        }
        const kinds = await commitKinds(repo, shas, env);
        const format = '%H%x00%G?%x00%GK%x00%GS%x00%GF%x00%GP%x00%ae%x00%s%x1e';
        const out = await run(repo, [...config, 'log', '--no-walk=unsorted', '--stdin', `--format=${format}`], { input: `${shas.join('\n')}\n`, env });
        const records: CommitSignatureRecord[] = [];
        for (const chunk of out.split('\x1e')) {
          const fields = chunk.replace(/^\n/, '').split('\0');
          if (fields.length < 8) continue;
          const [sha = '', status = '', key = '', signer = '', fingerprint = '', primaryFingerprint = '', authorEmail = '', subject = ''] = fields;
          records.push({ sha, kind: kinds.get(sha) ?? 'none', status, key, signer, fingerprint, primaryFingerprint, authorEmail, subject });
        }
        return records;
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    },
  };
}

function importKeyring(path: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('gpg', ['--batch', '--quiet', '--no-tty', '--import', path], { env, encoding: 'utf8' }, (error, _stdout, stderr) => {
      if (error === null) return resolve();
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new AppError('PEER_MISSING', 'gpg is not installed or not on PATH', { cause: error }));
      reject(new AppError('KEY_INVALID', 'the OpenPGP keyring could not be imported', { cause: error, details: { stderr: stderr.trim().slice(0, 300) } }));
    });
  });
}
