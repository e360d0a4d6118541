import { describe, expect, it } from 'vitest';
import { makeStatement } from '../in-toto.ts';
import { PREDICATE_TYPES, slsaProvenanceV1 } from '../predicates.ts';
import { checkProvenance, type BuilderPolicy } from './check.ts';
import { GITHUB_ACTIONS_BUILD_TYPE, provenanceFromCi } from './from-ci.ts';
import { provenanceFacts } from './provenance.ts';

const GITHUB = {
  GITHUB_ACTIONS: 'true',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'org/app',
  GITHUB_WORKFLOW_REF: 'org/app/.github/workflows/release.yml@refs/tags/v1.2.3',
  GITHUB_REF: 'refs/tags/v1.2.3',
  GITHUB_SHA: 'c'.repeat(40),
  GITHUB_RUN_ID: '42',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_EVENT_NAME: 'push',
  RUNNER_ENVIRONMENT: 'github-hosted',
};

describe('trust/slsa provenance from CI', () => {
  it('builds GitHub Actions provenance that our own slsa checks read back', () => {
    const input = provenanceFromCi(GITHUB, { buildCommand: 'podman build .' });
    expect(input.ci).toBe('github-actions');
    const statement = makeStatement([{ name: 'registry/app', digest: { sha256: 'd'.repeat(64) } }], PREDICATE_TYPES.slsa, slsaProvenanceV1(input));
    const facts = provenanceFacts(statement);
    expect(facts.buildType).toBe(GITHUB_ACTIONS_BUILD_TYPE);
    expect(facts.sourceRepository).toBe('github.com/org/app');
    expect(facts.sourceRef).toBe('refs/tags/v1.2.3');
    expect(facts.sourceCommit).toBe('c'.repeat(40));
    expect(statement.predicate.runDetails.metadata?.invocationId).toBe('https://github.com/org/app/actions/runs/42/attempts/1');
    const policy: BuilderPolicy = { trustedBuilders: ['https://github.com/actions/runner/github-hosted'], requireTaggedBuilder: false };
    expect(
      checkProvenance(facts, { artifactDigests: [`sha256:${'d'.repeat(64)}`], sourceUri: 'github.com/org/app', sourceVersionedTag: 'v1.2', buildType: GITHUB_ACTIONS_BUILD_TYPE }, null, policy),
    ).toEqual({ verdict: 'pass' });
    expect(checkProvenance(facts, { artifactDigests: [`sha256:${'e'.repeat(64)}`], sourceUri: 'github.com/org/app' }, null, policy)).toMatchObject({ failure: 'mismatch-hash' });
  });

  it('builds GitLab CI provenance', () => {
    const input = provenanceFromCi({ GITLAB_CI: 'true', CI_SERVER_URL: 'https://gitlab.example', CI_PROJECT_PATH: 'g/p', CI_PROJECT_URL: 'https://gitlab.example/g/p', CI_COMMIT_REF_NAME: 'main', CI_COMMIT_SHA: 'f'.repeat(40), CI_RUNNER_ID: '7', CI_JOB_URL: 'https://gitlab.example/g/p/-/jobs/9' });
    expect(input.ci).toBe('gitlab-ci');
    expect(input.builderId).toBe('https://gitlab.example/g/p/-/runners/7');
    expect(input.resolvedDependencies?.[0]).toEqual({ uri: 'git+https://gitlab.example/g/p@refs/heads/main', digest: { gitCommit: 'f'.repeat(40) } });
  });

  it('outside CI needs flags', () => {
    expect(() => provenanceFromCi({})).toThrow(expect.objectContaining({ code: 'USAGE' }));
    const input = provenanceFromCi({}, { builderId: 'https://builder.example/b', sourceRepository: 'https://git.example/r', sourceCommit: 'a'.repeat(40), sourceRef: 'refs/heads/main' });
    expect(input.ci).toBe('flags');
  });
});
