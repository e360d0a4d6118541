import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peersAvailable } from '../../testing/peers.ts';
import { makeRepoServices } from '../../services/repo.ts';
import type { CommitOutcome } from '../../source/commits/verify.ts';
import { nodeFiles } from '../node-files.ts';
import { makeGitAdapter } from './git.ts';

/**
 * Real repositories, real keys: ssh-keygen ed25519 keys, gpg keys in a throw-away GNUPGHOME,
 * commits signed by git itself, and a commit whose content was changed after signing.
 */
const available = peersAvailable('git', 'gpg', 'ssh-keygen');
const PATH = process.env['PATH'] ?? '';
const silentLog = { debug() {}, info() {}, warn() {}, error() {}, child() { return silentLog; } } as never;

let dir = '';
let home = '';
let gnupg = '';
const keys: Record<string, { pub: string; priv: string }> = {};
const pgp: Record<string, string> = {};

function sh(cmd: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}, input?: string): string {
  return execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    input,
    env: { PATH, HOME: home, GNUPGHOME: gnupg, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C', ...extraEnv },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

function git(repo: string, ...args: string[]): string {
  return sh('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], repo).trim();
}

function commit(repo: string, message: string, signer?: { ssh?: string; pgp?: string }): string {
  writeFileSync(join(repo, 'log.txt'), `${message}\n`, { flag: 'a' });
  git(repo, 'add', 'log.txt');
  if (signer?.ssh !== undefined) git(repo, '-c', 'gpg.format=ssh', '-c', `user.signingkey=${keys[signer.ssh]?.priv ?? ''}`, 'commit', '-q', '-S', '-m', message);
  else if (signer?.pgp !== undefined) git(repo, '-c', 'gpg.format=openpgp', '-c', `user.signingkey=${pgp[signer.pgp] ?? ''}`, 'commit', '-q', '-S', '-m', message);
  else git(repo, 'commit', '-q', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}

/** Rewrites HEAD's message while keeping its signature: the signature no longer matches. */
function tamperHead(repo: string): string {
  const raw = sh('git', ['cat-file', 'commit', 'HEAD'], repo);
  const forged = raw.replace(/\n\n([^\n]*)/, '\n\n$1 (edited after signing)');
  const sha = sh('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], repo, {}, forged).trim();
  git(repo, 'update-ref', 'HEAD', sha);
  return sha;
}

function pgpKey(name: string, email: string): string {
  sh('gpg', ['--batch', '--passphrase', '', '--quick-gen-key', `${name} <${email}>`, 'ed25519', 'sign', 'never'], dir);
  const colons = sh('gpg', ['--with-colons', '--list-keys', email], dir);
  const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(colons)?.[1];
  if (fpr === undefined) throw new Error('no fingerprint');
  return fpr;
}

describe.skipIf(!available)('signed commits against real git, ssh-keygen and gpg', () => {
  const shas: Record<string, string> = {};
  let repo = '';
  let base = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tollgate-commits-'));
    home = join(dir, 'home');
    gnupg = join(dir, 'gnupg');
    mkdirSync(home);
    mkdirSync(gnupg, { mode: 0o700 });
    for (const who of ['alice', 'carol', 'mallory']) {
      const priv = join(dir, `${who}_ed25519`);
      sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', who, '-f', priv], dir);
      keys[who] = { priv, pub: readFileSync(`${priv}.pub`, 'utf8').trim() };
    }
    pgp['bob'] = pgpKey('Bob', 'bob@example.com');
    pgp['dave'] = pgpKey('Dave', 'dave@example.com');
    pgp['erin'] = pgpKey('Erin', 'erin@example.com');
    // The keyring handed to tollgate: Bob and Erin only (Dave's key is unknown to the verifier).
    writeFileSync(join(dir, 'keyring.asc'), sh('gpg', ['--armor', '--export', 'bob@example.com', 'erin@example.com'], dir));
    writeFileSync(
      join(dir, 'roster.yaml'),
      [
        'members:',
        '  - name: Alice',
        '    active: true',
        '    emails: [alice@example.com]',
        `    keys: ["${keys['alice']?.pub ?? ''}"]`,
        '  - name: Bob',
        '    active: true',
        `    fingerprints: ["${pgp['bob'] ?? ''}"]`,
        '  - name: Carol',
        '    active: false',
        `    keys: ["${keys['carol']?.pub ?? ''}"]`,
        '',
      ].join('\n'),
    );
    // An extra allowed-signers file that also trusts Mallory's key: trusted by git, but not in the roster.
    writeFileSync(join(dir, 'allowed_signers'), `mallory@example.com namespaces="git" ${keys['mallory']?.pub ?? ''}\n`);

    repo = join(dir, 'repo');
    mkdirSync(repo);
    git(repo, 'init', '-q', '-b', 'main');
    base = commit(repo, 'root');
    shas['alice'] = commit(repo, 'alice ssh', { ssh: 'alice' });
    shas['carol'] = commit(repo, 'carol ssh', { ssh: 'carol' });
    shas['mallory'] = commit(repo, 'mallory ssh', { ssh: 'mallory' });
    shas['bob'] = commit(repo, 'bob gpg', { pgp: 'bob' });
    shas['dave'] = commit(repo, 'dave gpg', { pgp: 'dave' });
    shas['erin'] = commit(repo, 'erin gpg', { pgp: 'erin' });
    shas['unsigned'] = commit(repo, 'nobody');
    commit(repo, 'alice again', { ssh: 'alice' });
    shas['tampered'] = tamperHead(repo);
    shas['bob2'] = commit(repo, 'bob again', { pgp: 'bob' });
  });

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  const services = (): ReturnType<typeof makeRepoServices> => makeRepoServices({ git: makeGitAdapter({ path: PATH }), files: nodeFiles, log: silentLog, tool: { name: 'tollgate', version: 'test' } });

  it('gives each commit its outcome, verified by git itself', async () => {
    const report = await services().verifyCommits(repo, `${base}..HEAD`, {
      rosterFile: join(dir, 'roster.yaml'),
      allowedSignersFile: join(dir, 'allowed_signers'),
      keyringFile: join(dir, 'keyring.asc'),
    });
    const outcome = (sha: string | undefined): CommitOutcome | undefined => report.commits.find((c) => c.sha === sha)?.outcome;
    expect(outcome(shas['alice'])).toBe('signed-by-active-member');
    expect(outcome(shas['bob'])).toBe('signed-by-active-member');
    expect(outcome(shas['bob2'])).toBe('signed-by-active-member');
    expect(outcome(shas['carol'])).toBe('signed-by-inactive-member');
    expect(outcome(shas['mallory'])).toBe('signed-by-unknown-key');
    expect(outcome(shas['dave'])).toBe('signed-by-unknown-key');
    expect(outcome(shas['erin'])).toBe('signed-by-unknown-key');
    expect(outcome(shas['unsigned'])).toBe('unsigned');
    expect(outcome(shas['tampered'])).toBe('bad-signature');
    expect(report.commits).toHaveLength(9); // the tampered commit replaced "alice again"
    expect(report.passed).toBe(false);
    expect(report.commits.find((c) => c.sha === shas['alice'])?.member).toBe('Alice');
    expect(report.commits.find((c) => c.sha === shas['bob'])?.kind).toBe('openpgp');
  });

  it('passes a range signed only by active members', async () => {
    const report = await services().verifyCommits(repo, `${shas['alice'] ?? ''}~1..${shas['alice'] ?? ''}`, {
      rosterFile: join(dir, 'roster.yaml'),
    });
    expect(report.commits.map((c) => c.outcome)).toEqual(['signed-by-active-member']);
    expect(report.passed).toBe(true);
  });

  it('without a keyring, OpenPGP commits are signed by an unknown key, never unsigned', async () => {
    const report = await services().verifyCommits(repo, `${shas['mallory'] ?? ''}..${shas['bob'] ?? ''}`, { rosterFile: join(dir, 'roster.yaml') });
    expect(report.commits.map((c) => c.outcome)).toEqual(['signed-by-unknown-key']);
  });

  it('does not touch the user GnuPG home and rejects option-like ranges', async () => {
    await expect(services().verifyCommits(repo, '--all', { rosterFile: join(dir, 'roster.yaml') })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(services().verifyCommits(repo, 'nope..HEAD', { rosterFile: join(dir, 'roster.yaml') })).rejects.toMatchObject({ code: 'GIT_FAILED' });
  });

  it('rejects a malformed roster', async () => {
    writeFileSync(join(dir, 'bad-roster.yaml'), 'members:\n  - name: X\n');
    await expect(services().verifyCommits(repo, `${base}..HEAD`, { rosterFile: join(dir, 'bad-roster.yaml') })).rejects.toMatchObject({ code: 'ROSTER_INVALID' });
  });

  it('checks CODEOWNERS coverage over git ls-files', async () => {
    const r = join(dir, 'co');
    mkdirSync(join(r, '.github', 'workflows'), { recursive: true });
    mkdirSync(join(r, 'svc'), { recursive: true });
    writeFileSync(join(r, 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(join(r, 'svc', 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(join(r, 'untracked.Dockerfile'), 'FROM scratch\n');
    writeFileSync(join(r, '.github', 'workflows', 'ci.yml'), 'on: push\n');
    writeFileSync(join(r, 'go.sum'), '');
    writeFileSync(join(r, '.github', 'CODEOWNERS'), '* @org/devs\n/Dockerfile @org/platform\n.github/ @org/platform\n');
    writeFileSync(join(r, 'policy.yaml'), 'codeowners:\n  team: ["@org/platform"]\n');
    git(r, 'init', '-q');
    git(r, 'add', 'Dockerfile', 'svc/Dockerfile', '.github', 'go.sum');
    const report = await services().codeowners(r, { configFile: join(r, 'policy.yaml') });
    expect(report.codeownersPath).toBe('.github/CODEOWNERS');
    expect(report.failures.map((f) => `${f.file}:${f.status}`)).toEqual(['go.sum:owned-outside-team', 'svc/Dockerfile:owned-outside-team']);
    expect(report.files.map((f) => f.file)).not.toContain('untracked.Dockerfile');
  });
});
