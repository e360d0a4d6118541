import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peersAvailable } from '../../testing/peers.ts';

const run = promisify(execFile);
const MAIN = new URL('../main.ts', import.meta.url).pathname;
const available = peersAvailable('git', 'ssh-keygen');

async function tollgate(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.skipIf(!available)('cli: codeowners / commits / lint (workflows)', () => {
  let dir = '';
  let repo = '';
  let signed = '';
  const env = (): NodeJS.ProcessEnv => ({ PATH: process.env['PATH'], HOME: dir, GIT_CONFIG_NOSYSTEM: '1' });
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd: repo, env: env(), encoding: 'utf8' }).trim();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tollgate-repo-cli-'));
    repo = join(dir, 'repo');
    mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'alice', '-f', join(dir, 'alice')], { env: env() });
    const pub = readFileSync(join(dir, 'alice.pub'), 'utf8').trim();
    writeFileSync(join(dir, 'roster.yaml'), `members:\n  - name: Alice\n    active: true\n    keys: ["${pub}"]\n`);
    writeFileSync(join(dir, 'bad-roster.yaml'), 'members: nope\n');
    writeFileSync(join(repo, 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(join(repo, 'Makefile'), 'all:\n');
    writeFileSync(join(repo, '.github', 'CODEOWNERS'), '* @org/devs\nDockerfile @org/platform\n!Makefile @org/platform\n');
    writeFileSync(join(repo, '.github', 'workflows', 'ci.yml'), 'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n');
    git('init', '-q');
    git('add', '.');
    git('-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'root');
    writeFileSync(join(repo, 'a.txt'), 'a\n');
    git('add', 'a.txt');
    git('-c', 'gpg.format=ssh', '-c', `user.signingkey=${join(dir, 'alice')}`, 'commit', '-q', '-S', '-m', 'signed');
    signed = git('rev-parse', 'HEAD');
    writeFileSync(join(repo, 'b.txt'), 'b\n');
    git('add', 'b.txt');
    git('-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'unsigned');
  });

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('commits: exit 0 when every commit is signed by an active member, 1 otherwise, 2 on a bad roster', async () => {
    const ok = await tollgate(['commits', '--repo', repo, '--range', `${signed}~1..${signed}`, '--roster', join(dir, 'roster.yaml')]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('signed-by-active-member');
    const bad = await tollgate(['commits', '--repo', repo, '--range', 'HEAD~2..HEAD', '--roster', join(dir, 'roster.yaml'), '--format', 'json']);
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout) as { commits: { outcome: string }[]; passed: boolean };
    expect(report.commits.map((c) => c.outcome)).toEqual(['unsigned', 'signed-by-active-member']);
    expect(report.passed).toBe(false);
    const sarif = await tollgate(['commits', '--repo', repo, '--range', 'HEAD~2..HEAD', '--roster', join(dir, 'roster.yaml'), '--format', 'sarif']);
    expect(sarif.code).toBe(1);
    const doc = JSON.parse(sarif.stdout) as {
      version: string;
      runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; partialFingerprints: { commitSha: string } }[] }[];
    };
    expect(doc.version).toBe('2.1.0');
    expect(doc.runs[0]?.results.map((r) => r.ruleId)).toEqual(['SC1001']);
    expect(doc.runs[0]?.results[0]?.partialFingerprints.commitSha).not.toBe(signed);
    expect(doc.runs[0]?.tool.driver.rules.map((r) => r.id)).toEqual(['SC1001']);
    const roster = await tollgate(['commits', '--repo', repo, '--range', 'HEAD~1..HEAD', '--roster', join(dir, 'bad-roster.yaml')]);
    expect(roster.code).toBe(2);
    expect(roster.stderr).toContain('ROSTER_INVALID');
  });

  it('codeowners: table, json and SARIF; exit 1 when a build file is not owned by the team', async () => {
    const table = await tollgate(['codeowners', '--repo', repo, '--team', '@org/platform']);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain('owned-outside-team');
    const sarif = await tollgate(['codeowners', '--repo', repo, '--team', '@org/platform', '--format', 'sarif']);
    const doc = JSON.parse(sarif.stdout) as { version: string; runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(doc.version).toBe('2.1.0');
    const results = doc.runs[0]?.results ?? [];
    expect(results.map((r) => `${r.ruleId}:${r.locations[0]?.physicalLocation.artifactLocation.uri ?? ''}`).sort()).toEqual([
      'CO1002:.github/CODEOWNERS', // CODEOWNERS itself is build-relevant: who owns it decides every other owner
      'CO1002:.github/workflows/ci.yml',
      'CO1002:Makefile',
      'CO1003:.github/CODEOWNERS',
    ]);
  });

  it('lint: finds the workflow and names the zizmor audit', async () => {
    const r = await tollgate(['lint', repo, '--format', 'json']);
    const out = JSON.parse(r.stdout) as { findings: { ruleId: string; zizmor: string | null }[] };
    expect(out.findings.filter((f) => f.ruleId.startsWith('GH')).map((f) => `${f.ruleId}:${f.zizmor ?? ''}`)).toEqual(['GH1006:artipacked', 'GH1001:unpinned-uses']);
    expect(r.code).toBe(1);
  });
});
