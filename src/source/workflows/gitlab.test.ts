import { describe, expect, it } from 'vitest';
import { isWorkflowPath, lintWorkflow } from './lint.ts';

const SHA = 'c0ffee0000000000000000000000000000000001';
const lint = (text: string): string[] =>
  lintWorkflow('.gitlab-ci.yml', text)
    .findings.filter((f) => f.suppressed === undefined)
    .map((f) => `${f.slug}@${f.range.startLine}`);

describe('GitLab CI audits', () => {
  it('discovers GitLab files', () => {
    expect(isWorkflowPath('.gitlab-ci.yml')).toBe(true);
    expect(isWorkflowPath('svc/.gitlab/ci/build.yml')).toBe(true);
    expect(isWorkflowPath('ci.yml')).toBe(false);
  });

  it('flags includes not pinned to a SHA or integrity hash', () => {
    const text = [
      'include:',
      '  - local: ci/build.yml',
      '  - remote: https://example.com/ci.yml',
      `  - remote: https://example.com/ok.yml`,
      '    integrity: sha256-abc',
      '  - project: group/templates',
      '    file: /build.yml',
      '  - project: group/templates',
      `    ref: ${SHA}`,
      '    file: /build.yml',
      '  - project: group/templates',
      '    ref: v1.2.0',
      '    file: /x.yml',
      '  - component: $CI_SERVER_FQDN/group/comp/build@~latest',
      `  - component: $CI_SERVER_FQDN/group/comp/build@${SHA}`,
      'job:',
      '  script: [make]',
    ].join('\n');
    expect(lint(text).filter((f) => f.startsWith('gitlab-unpinned-include'))).toEqual([
      'gitlab-unpinned-include@3',
      'gitlab-unpinned-include@6',
      'gitlab-unpinned-include@12',
      'gitlab-unpinned-include@14',
    ]);
  });

  it('flags job, default and service images without digests', () => {
    const text = `image: node:latest\ndefault:\n  services:\n    - name: postgres:16\nbuild:\n  image:\n    name: alpine@sha256:${'a'.repeat(64)}\n  script: [make]\n`;
    const findings = lintWorkflow('.gitlab-ci.yml', text).findings;
    expect(findings.map((f) => `${f.slug}@${f.range.startLine}:${f.severity}`)).toEqual(['gitlab-unpinned-images@1:error', 'gitlab-unpinned-images@4:warning']);
  });

  it('flags textual input interpolation, eval of attacker variables, and curl | sh in scripts', () => {
    const text = [
      'spec:',
      '  inputs:',
      '    name:',
      '---',
      'build:',
      '  before_script:',
      '    - curl -fsSL https://get.example.com | bash',
      '  script:',
      '    - echo "$[[ inputs.name ]]"',
      '    - eval "echo $CI_COMMIT_MESSAGE"',
      '    - echo "$CI_MERGE_REQUEST_TITLE"',
      '  variables:',
      '    CI_DEBUG_TRACE: "true"',
    ].join('\n');
    expect(lint(text)).toEqual(['gitlab-script-injection@7', 'gitlab-script-injection@9', 'gitlab-script-injection@10', 'gitlab-debug-trace@13']);
  });

  it('does not run GitHub audits on GitLab files', () => {
    expect(lint('job:\n  script:\n    - echo ${{ github.event.issue.title }}\n')).toEqual([]);
  });
});
