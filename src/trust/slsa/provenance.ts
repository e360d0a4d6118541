import { isJsonObject } from '../../core/json.ts';
import type { Statement } from '../in-toto.ts';

/** What a SLSA provenance (v0.2 or v1) states, normalised. Absent facts are null, never guessed. */
export interface ProvenanceFacts {
  readonly predicateType: string;
  readonly subjectDigests: readonly string[];
  readonly builderId: string | null;
  readonly buildType: string | null;
  /** Source repository as `github.com/owner/repo` (scheme, `git+` and `@ref` stripped). */
  readonly sourceRepository: string | null;
  /** Full git ref the build ran on: refs/heads/…, refs/tags/… */
  readonly sourceRef: string | null;
  /**
   * The branch, as slsa-verifier derives it: the ref when it is a branch; for a tag pushed by a
   * `push` event, the event's base_ref. Null when the provenance does not say.
   */
  readonly sourceBranch: string | null;
  readonly sourceCommit: string | null;
  readonly workflowInputs: Readonly<Record<string, unknown>> | null;
}

type Json = Record<string, unknown>;

const obj = (value: unknown): Json => (isJsonObject(value) ? value : {});
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

export function provenanceFacts(statement: Statement): ProvenanceFacts {
  const predicate = obj(statement.predicate);
  const subjectDigests = statement.subject.flatMap((s) => Object.entries(s.digest).map(([alg, hex]) => `${alg}:${hex.toLowerCase()}`));
  if (statement.predicateType.startsWith('https://slsa.dev/provenance/v0.')) {
    const invocation = obj(predicate['invocation']);
    const configSource = obj(invocation['configSource']);
    const environment = obj(invocation['environment']);
    const uri = str(configSource['uri']);
    const { repository, ref } = splitUri(uri);
    const eventPayload = obj(environment['github_event_payload']);
    const sourceRef = str(environment['github_ref']) ?? ref;
    return {
      predicateType: statement.predicateType,
      subjectDigests,
      builderId: str(obj(predicate['builder'])['id']),
      buildType: str(predicate['buildType']),
      sourceRepository: repository,
      sourceRef,
      sourceBranch: branchOf(sourceRef, str(environment['github_event_name']), str(eventPayload['base_ref'])),
      sourceCommit: str(obj(configSource['digest'])['sha1']),
      workflowInputs: Object.keys(obj(eventPayload['inputs'])).length > 0 ? obj(eventPayload['inputs']) : null,
    };
  }
  // SLSA v1: GitHub's buildtypes keep the workflow in externalParameters.workflow; the BYOB
  // delegator keeps GITHUB_* in internalParameters and the source in resolvedDependencies[0].
  const definition = obj(predicate['buildDefinition']);
  const external = obj(definition['externalParameters']);
  const internal = obj(definition['internalParameters']);
  const workflow = obj(external['workflow']);
  const deps = Array.isArray(definition['resolvedDependencies']) ? (definition['resolvedDependencies'] as unknown[]) : [];
  const first = obj(deps[0]);
  const fromDep = splitUri(str(first['uri']));
  const repoFromWorkflow = str(workflow['repository']);
  const github = obj(internal['github']);
  const sourceRef = str(workflow['ref']) ?? str(internal['GITHUB_REF']) ?? fromDep.ref;
  const eventName = str(internal['GITHUB_EVENT_NAME']) ?? str(github['event_name']);
  const baseRef = str(obj(internal['GITHUB_EVENT_PAYLOAD'])['base_ref']);
  return {
    predicateType: statement.predicateType,
    subjectDigests,
    builderId: str(obj(obj(predicate['runDetails'])['builder'])['id']),
    buildType: str(definition['buildType']),
    sourceRepository: repoFromWorkflow !== null ? stripScheme(repoFromWorkflow) : fromDep.repository,
    sourceRef,
    sourceBranch: branchOf(sourceRef, eventName, baseRef),
    sourceCommit: str(obj(first['digest'])['gitCommit']) ?? str(internal['GITHUB_SHA']) ?? str(github['sha']),
    workflowInputs: Object.keys(obj(external['inputs'])).length > 0 ? obj(external['inputs']) : null,
  };
}

function branchOf(ref: string | null, eventName: string | null, baseRef: string | null): string | null {
  if (ref === null) return null;
  if (ref.startsWith('refs/heads/')) return ref;
  if (ref.startsWith('refs/tags/') && eventName === 'push') return baseRef;
  return null;
}

function splitUri(uri: string | null): { repository: string | null; ref: string | null } {
  if (uri === null) return { repository: null, ref: null };
  const at = uri.lastIndexOf('@');
  const base = at > uri.indexOf('://') ? uri.slice(0, at) : uri;
  const ref = at > uri.indexOf('://') ? uri.slice(at + 1) : null;
  return { repository: stripScheme(base), ref };
}

function stripScheme(uri: string): string {
  return uri.replace(/^git\+/, '').replace(/^https?:\/\//, '').replace(/\.git$/, '');
}
