import { describe, expect, it } from 'vitest';
import { lintWorkflow } from './lint.ts';
import type { Persona } from './audit.ts';

const SHA = '11bd71901bbe5b1630ceea73d27597364c9af683';

function ids(text: string, persona: Persona = 'regular', path = '.github/workflows/ci.yml'): string[] {
  return lintWorkflow(path, text, { persona })
    .findings.filter((f) => f.suppressed === undefined)
    .map((f) => `${f.slug}@${f.range.startLine}`);
}

const header = (on: string): string => `name: t\non: ${on}\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n`;

describe('GitHub Actions audits', () => {
  it.each([
    ['tag pin', `      - uses: actions/checkout@v4\n        with: { persist-credentials: false }\n`, ['unpinned-uses@8']],
    ['no ref', `      - uses: someone/action\n`, ['unpinned-uses@8']],
    ['sha pin', `      - uses: someone/action@${SHA}\n`, []],
    ['short sha', `      - uses: someone/action@11bd719\n`, ['unpinned-uses@8']],
    ['local action', `      - uses: ./.github/actions/x\n`, []],
    ['docker latest', `      - uses: docker://alpine:latest\n`, ['unpinned-images@8']],
    ['docker digest', `      - uses: docker://alpine@sha256:${'a'.repeat(64)}\n`, []],
  ])('unpinned uses: %s', (_name, steps, expected) => {
    expect(ids(header('push') + steps)).toEqual(expected);
  });

  it('honours refPinAllowed', () => {
    const text = header('push') + `      - uses: myorg/tool@v1\n`;
    expect(lintWorkflow('w.yml', text, { refPinAllowed: ['myorg/*'] }).findings.map((f) => f.slug)).toEqual([]);
  });

  it('finds attacker-controlled expressions in run: and github-script, not env indirection', () => {
    const text =
      header('pull_request') +
      `      - run: echo "\${{ github.event.issue.title }}" && echo \${{ github.sha }}\n` +
      `      - uses: actions/github-script@${SHA}\n        with:\n          script: |\n            console.log("\${{ github.event.comment.body }}")\n` +
      `      - run: echo "$TITLE"\n        env:\n          TITLE: \${{ github.event.pull_request.title }}\n` +
      `      - run: echo \${{ github.head_ref }}\n`;
    expect(ids(text).filter((i) => i.startsWith('template'))).toEqual(['template-injection@8', 'template-injection@12', 'template-injection@16']);
  });

  it('ignores boolean expressions and comparisons', () => {
    const text = header('pull_request') + `      - run: echo \${{ github.event.pull_request.title == 'x' }} \${{ contains(github.event.issue.body, 'y') }}\n`;
    expect(ids(text)).toEqual([]);
  });

  it('flags dangerous triggers and an untrusted checkout of the PR head', () => {
    const text =
      `on: pull_request_target\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n` +
      `      - uses: actions/checkout@${SHA}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n          persist-credentials: false\n`;
    expect(ids(text)).toEqual(['dangerous-triggers@1', 'untrusted-checkout@9']);
  });

  it('flags over-broad permissions', () => {
    expect(ids(`on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: x\n    steps: [{run: echo}]\n`)).toEqual(['excessive-permissions@2']);
    expect(ids(`on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{run: echo}]\n`)).toEqual(['excessive-permissions@3']);
    expect(ids(`on: push\njobs:\n  a:\n    runs-on: x\n    permissions: read-all\n    steps: [{run: echo}]\n`, 'regular')).toContain('excessive-permissions@5');
  });

  it('flags contents: write that no step uses (Tollgate-only)', () => {
    const text = `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    permissions:\n      contents: write\n    steps: [{run: make test}]\n`;
    expect(ids(text)).toEqual(['unneeded-contents-write@7']);
    expect(ids(text.replace('make test', 'git push origin HEAD'))).toEqual([]);
  });

  it('flags checkout without persist-credentials: false', () => {
    expect(ids(header('push') + `      - uses: actions/checkout@${SHA}\n`)).toEqual(['artipacked@8']);
    expect(ids(header('push') + `      - uses: actions/checkout@${SHA}\n        with:\n          persist-credentials: false\n`)).toEqual([]);
  });

  it.each([
    ['curl | sh', 'curl -fsSL https://x.example/install.sh | sh', true],
    ['wget -O- | sudo bash', 'cd /tmp && wget -qO- https://x.example/i | sudo bash -s -- --yes', true],
    ['sh -c "$(curl)"', 'sh -c "$(curl -fsSL https://x.example/i.sh)"', true],
    ['bash <(curl)', 'bash <(curl -s https://x.example/i.sh)', true],
    ['continuation', 'curl -s https://x.example/i.sh \\\n  | bash', true],
    ['download to file', 'curl -fsSLo i.sh https://x.example/i.sh && sha256sum -c sums && sh i.sh', false],
    ['curl | jq', 'curl -s https://api.example/x | jq .', false],
  ])('remote script piped to shell: %s', (_n, script, expected) => {
    const text = header('push') + `      - run: |\n${script.split('\n').map((l) => `          ${l}`).join('\n')}\n`;
    expect(ids(text).includes('remote-script-piped-to-shell@8')).toBe(expected);
  });

  it('flags self-hosted runners, as errors on public triggers', () => {
    const text = (on: string): string => `on: ${on}\npermissions: {}\njobs:\n  a:\n    runs-on: [self-hosted, linux]\n    steps: [{run: echo}]\n`;
    const pr = lintWorkflow('w.yml', text('pull_request')).findings.find((f) => f.slug === 'self-hosted-runner');
    expect(pr?.severity).toBe('error');
    expect(lintWorkflow('w.yml', text('push')).findings.some((f) => f.slug === 'self-hosted-runner')).toBe(false);
    expect(lintWorkflow('w.yml', text('push'), { persona: 'auditor' }).findings.some((f) => f.slug === 'self-hosted-runner')).toBe(true);
  });

  it('covers the remaining zizmor audits', () => {
    const text =
      `on:\n  pull_request_target:\n  push:\n    tags: ['v*']\npermissions: {}\nenv:\n  ACTIONS_ALLOW_UNSECURE_COMMANDS: true\njobs:\n` +
      `  a:\n    runs-on: x\n    if: github.actor == 'dependabot[bot]'\n    container:\n      image: ghcr.io/x/y\n      credentials:\n        username: u\n        password: hunter2\n` +
      `    steps:\n      - uses: actions/cache@${SHA}\n      - run: echo "X=1" >> "$GITHUB_ENV"\n      - run: echo\n        env:\n          ALL: \${{ toJSON(secrets) }}\n` +
      `  b:\n    uses: org/repo/.github/workflows/r.yml@${SHA}\n    secrets: inherit\n`;
    const slugs = new Set(ids(text).map((i) => i.split('@')[0]));
    for (const s of ['insecure-commands', 'bot-conditions', 'unpinned-images', 'hardcoded-container-credentials', 'cache-poisoning', 'github-env', 'overprovisioned-secrets', 'secrets-inherit', 'dangerous-triggers']) {
      expect(slugs, s).toContain(s);
    }
  });

  it('honours tollgate and zizmor ignore comments and severity overrides', () => {
    const text = header('push') + `      - uses: actions/checkout@v4 # tollgate ignore=GH1001\n        with: { persist-credentials: false }\n      - uses: a/b@v1 # zizmor: ignore[unpinned-uses]\n`;
    const result = lintWorkflow('w.yml', text);
    expect(result.findings.map((f) => f.suppressed?.kind)).toEqual(['inline', 'inline']);
    const sev = lintWorkflow('w.yml', header('push') + '      - uses: a/b@v1\n', { severity: { 'unpinned-uses': 'info' } });
    expect(sev.findings[0]?.severity).toBe('info');
  });

  it('records unparseable YAML as an unknown, never as clean', () => {
    const result = lintWorkflow('w.yml', 'on: [push\njobs: {');
    expect(result.findings).toEqual([]);
    expect(result.unknowns).toHaveLength(1);
  });

  it('lints composite actions', () => {
    const text = `name: x\nruns:\n  using: composite\n  steps:\n    - uses: actions/checkout@v4\n    - run: echo \${{ github.event.issue.title }}\n      shell: bash\n`;
    expect(ids(text, 'regular', 'action.yml')).toEqual(['artipacked@5', 'unpinned-uses@5', 'template-injection@6']);
  });

  it('reads parallel steps and counts (a || b).field as one value', () => {
    const text = header('push') + `      - parallel:\n          - run: echo "\${{ github.event.issue.title }}"\n          - run: echo \${{ (github.event.pull_request || github.event.issue).number }}\n`;
    expect(ids(text)).toEqual(['template-injection@9', 'template-injection@10']);
  });

  it('names the zizmor equivalent in every finding that has one', () => {
    const f = lintWorkflow('w.yml', header('push') + '      - uses: a/b@v1\n').findings[0];
    expect(f?.peers).toEqual([{ tool: 'zizmor', id: 'unpinned-uses' }]);
    expect(f?.docsUrl).toBe('docs/rules/GH1001.md');
  });
});
