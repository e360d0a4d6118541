import { AppError } from '../../core/errors.ts';
import type { ResourceDescriptor, SlsaProvenanceInput } from '../predicates.ts';

export const GITHUB_ACTIONS_BUILD_TYPE = 'https://actions.github.io/buildtypes/workflow/v1';
export const GITLAB_CI_BUILD_TYPE = 'https://tollgate.dev/buildtypes/gitlab-ci/v1';
export const MANUAL_BUILD_TYPE = 'https://tollgate.dev/buildtypes/manual/v1';

/** What the caller can state by flags; each overrides what the CI environment says. */
export interface ProvenanceFlags {
  readonly builderId?: string;
  readonly buildType?: string;
  readonly sourceRepository?: string;
  readonly sourceRef?: string;
  readonly sourceCommit?: string;
  readonly buildCommand?: string;
  readonly materials?: readonly ResourceDescriptor[];
  readonly startedOn?: string;
  readonly finishedOn?: string;
}

export type CiKind = 'github-actions' | 'gitlab-ci' | 'flags';

/** Which CI produced this build, from its variables (GITHUB_ACTIONS=true, GITLAB_CI=true). */
export function detectCi(env: Readonly<Record<string, string>>): CiKind {
  if (env['GITHUB_ACTIONS'] === 'true' || env['GITHUB_RUN_ID'] !== undefined) return 'github-actions';
  if (env['GITLAB_CI'] === 'true' || env['CI_JOB_ID'] !== undefined) return 'gitlab-ci';
  return 'flags';
}

/**
 * SLSA v1 provenance inputs from the CI environment (GitHub Actions, GitLab CI) or flags: source
 * repository and commit, builder id, build type and command, resolved materials. Pure.
 */
export function provenanceFromCi(env: Readonly<Record<string, string>>, flags: ProvenanceFlags = {}): SlsaProvenanceInput & { readonly ci: CiKind } {
  const ci = detectCi(env);
  const base = ci === 'github-actions' ? fromGithub(env) : ci === 'gitlab-ci' ? fromGitlab(env) : null;
  const repository = flags.sourceRepository ?? base?.repository;
  const ref = flags.sourceRef ?? base?.ref;
  const commit = flags.sourceCommit ?? base?.commit;
  const builderId = flags.builderId ?? base?.builderId;
  if (builderId === undefined || repository === undefined) {
    throw new AppError('USAGE', 'not in GitHub Actions or GitLab CI: give --builder-id and --source-repo (and --source-ref/--source-commit)');
  }
  const source: ResourceDescriptor | null =
    repository !== undefined && commit !== undefined
      ? { uri: `git+${repository}${ref !== undefined ? `@${ref}` : ''}`, digest: { gitCommit: commit } }
      : null;
  return {
    ci,
    buildType: flags.buildType ?? base?.buildType ?? MANUAL_BUILD_TYPE,
    builderId,
    externalParameters: {
      ...(base?.external ?? { repository, ...(ref !== undefined ? { ref } : {}) }),
      ...(flags.buildCommand !== undefined ? { buildCommand: flags.buildCommand } : {}),
    },
    ...(base?.internal !== undefined ? { internalParameters: base.internal } : {}),
    resolvedDependencies: [...(source !== null ? [source] : []), ...(flags.materials ?? [])],
    ...(base?.invocationId !== undefined ? { invocationId: base.invocationId } : {}),
    ...(flags.startedOn !== undefined ? { startedOn: flags.startedOn } : {}),
    ...(flags.finishedOn !== undefined ? { finishedOn: flags.finishedOn } : {}),
  };
}

interface CiFacts {
  readonly repository: string;
  readonly ref?: string;
  readonly commit?: string;
  readonly builderId: string;
  readonly buildType: string;
  readonly external: Readonly<Record<string, unknown>>;
  readonly internal: Readonly<Record<string, unknown>>;
  readonly invocationId?: string;
}

function fromGithub(env: Readonly<Record<string, string>>): CiFacts {
  const server = env['GITHUB_SERVER_URL'] ?? 'https://github.com';
  const repo = env['GITHUB_REPOSITORY'] ?? '';
  const workflowRef = env['GITHUB_WORKFLOW_REF'] ?? '';
  const path = workflowRef.startsWith(`${repo}/`) ? workflowRef.slice(repo.length + 1).split('@')[0] : undefined;
  const runner = env['RUNNER_ENVIRONMENT'] ?? 'github-hosted';
  const ref = env['GITHUB_REF'];
  const commit = env['GITHUB_SHA'];
  return {
    repository: `${server}/${repo}`,
    ...(ref !== undefined ? { ref } : {}),
    ...(commit !== undefined ? { commit } : {}),
    builderId: `${server}/actions/runner/${runner}`,
    buildType: GITHUB_ACTIONS_BUILD_TYPE,
    external: { workflow: { ref: ref ?? '', repository: `${server}/${repo}`, path: path ?? '' } },
    internal: {
      github: {
        event_name: env['GITHUB_EVENT_NAME'] ?? '',
        repository_id: env['GITHUB_REPOSITORY_ID'] ?? '',
        repository_owner_id: env['GITHUB_REPOSITORY_OWNER_ID'] ?? '',
        runner_environment: runner,
      },
    },
    ...(env['GITHUB_RUN_ID'] !== undefined
      ? { invocationId: `${server}/${repo}/actions/runs/${env['GITHUB_RUN_ID']}/attempts/${env['GITHUB_RUN_ATTEMPT'] ?? '1'}` }
      : {}),
  };
}

function fromGitlab(env: Readonly<Record<string, string>>): CiFacts {
  const project = env['CI_PROJECT_URL'] ?? `${env['CI_SERVER_URL'] ?? 'https://gitlab.com'}/${env['CI_PROJECT_PATH'] ?? ''}`;
  const refName = env['CI_COMMIT_TAG'] ?? env['CI_COMMIT_REF_NAME'];
  const ref = refName === undefined ? undefined : env['CI_COMMIT_TAG'] !== undefined ? `refs/tags/${refName}` : `refs/heads/${refName}`;
  const commit = env['CI_COMMIT_SHA'];
  return {
    repository: project,
    ...(ref !== undefined ? { ref } : {}),
    ...(commit !== undefined ? { commit } : {}),
    builderId: `${env['CI_SERVER_URL'] ?? 'https://gitlab.com'}/${env['CI_PROJECT_PATH'] ?? ''}/-/runners/${env['CI_RUNNER_ID'] ?? 'unknown'}`,
    buildType: GITLAB_CI_BUILD_TYPE,
    external: { repository: project, ...(ref !== undefined ? { ref } : {}), entryPoint: env['CI_CONFIG_PATH'] ?? '.gitlab-ci.yml', job: env['CI_JOB_NAME'] ?? '' },
    internal: { gitlab: { pipeline_id: env['CI_PIPELINE_ID'] ?? '', pipeline_source: env['CI_PIPELINE_SOURCE'] ?? '', runner_id: env['CI_RUNNER_ID'] ?? '' } },
    ...(env['CI_JOB_URL'] !== undefined ? { invocationId: env['CI_JOB_URL'] } : {}),
  };
}
