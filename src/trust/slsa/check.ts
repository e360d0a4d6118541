import type { ProvenanceFacts } from './provenance.ts';

/**
 * The checks slsa-verifier applies to a verified provenance, as a pure function. The first failing
 * check decides, in slsa-verifier's order: builder → subject digest → source → inputs → branch →
 * tag → versioned tag. A missing fact fails the check that needs it (unknown never passes).
 */
export interface ProvenanceExpectations {
  /** Artifact digests (`sha256:hex`); every one must be a subject. */
  readonly artifactDigests: readonly string[];
  /** `github.com/owner/repo` */
  readonly sourceUri: string;
  readonly sourceBranch?: string;
  readonly sourceTag?: string;
  /** Semver-style tag prefix: `v1`, `v1.2`, `v1.2.3` (slsa-verifier --source-versioned-tag). */
  readonly sourceVersionedTag?: string;
  /** Exact builder id (with @ref) or builder id without ref (slsa-verifier --builder-id). */
  readonly builderId?: string;
  readonly buildType?: string;
  readonly workflowInputs?: Readonly<Record<string, string>>;
}

export interface BuilderPolicy {
  /** Trusted builder workflows, without the `@ref` part. */
  readonly trustedBuilders: readonly string[];
  /** Trusted builders must be referenced by a release tag `refs/tags/vX.Y.Z`. */
  readonly requireTaggedBuilder: boolean;
}

export type ProvenanceCheckFailure =
  | 'untrusted-builder'
  | 'invalid-builder-ref'
  | 'mismatch-builder-id'
  | 'mismatch-build-type'
  | 'mismatch-hash'
  | 'mismatch-source'
  | 'mismatch-workflow-inputs'
  | 'mismatch-branch'
  | 'mismatch-tag'
  | 'invalid-ref'
  | 'mismatch-versioned-tag';

export type ProvenanceCheck = { readonly verdict: 'pass' } | { readonly verdict: 'fail'; readonly failure: ProvenanceCheckFailure; readonly detail: string };

/** slsa-github-generator's trusted reusable workflows (slsa-verifier's defaults). */
export const SLSA_GITHUB_GENERATOR_BUILDERS: readonly string[] = Object.freeze(
  [
    'builder_go_slsa3.yml',
    'generator_generic_slsa3.yml',
    'generator_container_slsa3.yml',
    'builder_container-based_slsa3.yml',
    'delegator_generic_slsa3.yml',
    'delegator_lowperms-generic_slsa3.yml',
    'builder_maven_slsa3.yml',
    'builder_gradle_slsa3.yml',
  ].map((file) => `https://github.com/slsa-framework/slsa-github-generator/.github/workflows/${file}`),
);

export const DEFAULT_BUILDER_POLICY: BuilderPolicy = Object.freeze({ trustedBuilders: SLSA_GITHUB_GENERATOR_BUILDERS, requireTaggedBuilder: true });

/** What slsa-verifier does with SLSA_VERIFIER_TESTING=1 (its regression tests): builder refs may be branches. */
export const TESTING_BUILDER_POLICY: BuilderPolicy = Object.freeze({ trustedBuilders: SLSA_GITHUB_GENERATOR_BUILDERS, requireTaggedBuilder: false });

const fail = (failure: ProvenanceCheckFailure, detail: string): ProvenanceCheck => ({ verdict: 'fail', failure, detail });

/**
 * @param signerBuilderId the builder identity from the verified signature (Fulcio SAN / build signer
 *   URI) when there is one; the provenance's own builder.id must agree with it unless the builder is
 *   a delegator (BYOB), whose provenance names the delegated workflow.
 */
export function checkProvenance(facts: ProvenanceFacts, expect: ProvenanceExpectations, signerBuilderId: string | null, policy: BuilderPolicy = DEFAULT_BUILDER_POLICY): ProvenanceCheck {
  if (expect.builderId !== undefined && !policy.trustedBuilders.includes(expect.builderId.split('@')[0] ?? '') && !/delegator_/.test(signerBuilderId ?? '')) {
    return fail('untrusted-builder', `requested builder ${expect.builderId} is not trusted`);
  }
  const builder = signerBuilderId ?? facts.builderId;
  if (builder === null) return fail('untrusted-builder', 'no builder identity');
  const [builderPath = '', builderRef = ''] = builder.split('@');
  if (!policy.trustedBuilders.includes(builderPath)) return fail('untrusted-builder', builderPath);
  if (policy.requireTaggedBuilder && !/^refs\/tags\/v\d+\.\d+\.\d+(-[\w.-]+)?$/.test(builderRef)) return fail('invalid-builder-ref', builder);
  const delegated = /delegator_/.test(builderPath);
  if (!delegated && facts.builderId !== null && signerBuilderId !== null && facts.builderId !== signerBuilderId) {
    return fail('mismatch-builder-id', `${facts.builderId} ≠ ${signerBuilderId}`);
  }
  if (expect.builderId !== undefined) {
    const actual = delegated ? facts.builderId : builder;
    const wanted = expect.builderId;
    if (actual === null || (actual !== wanted && actual.split('@')[0] !== wanted)) return fail('mismatch-builder-id', `${actual ?? 'none'} ≠ ${wanted}`);
  }
  if (expect.buildType !== undefined && facts.buildType !== expect.buildType) return fail('mismatch-build-type', facts.buildType ?? 'none');

  for (const digest of expect.artifactDigests) {
    if (!facts.subjectDigests.includes(digest.toLowerCase())) return fail('mismatch-hash', digest);
  }
  if (expect.artifactDigests.length === 0) return fail('mismatch-hash', 'no artifact digest to check');

  const wantedSource = expect.sourceUri.replace(/^https?:\/\//, '');
  if (facts.sourceRepository !== wantedSource) return fail('mismatch-source', `${facts.sourceRepository ?? 'none'} ≠ ${wantedSource}`);

  if (expect.workflowInputs !== undefined) {
    for (const [name, value] of Object.entries(expect.workflowInputs)) {
      const actual = facts.workflowInputs?.[name];
      if (actual === undefined || String(actual) !== value) return fail('mismatch-workflow-inputs', name);
    }
  }
  const ref = facts.sourceRef;
  if (expect.sourceBranch !== undefined) {
    const branch = facts.sourceBranch;
    if (branch === null || branch !== `refs/heads/${expect.sourceBranch}`) return fail('mismatch-branch', branch ?? 'none');
  }
  if (expect.sourceTag !== undefined) {
    if (ref === null || !ref.startsWith('refs/tags/')) return fail('invalid-ref', ref ?? 'none');
    if (ref !== `refs/tags/${expect.sourceTag}`) return fail('mismatch-tag', ref);
  }
  if (expect.sourceVersionedTag !== undefined) {
    if (ref === null || !ref.startsWith('refs/tags/')) return fail('invalid-ref', ref ?? 'none');
    const outcome = versionedTagMatches(ref.slice('refs/tags/'.length), expect.sourceVersionedTag);
    if (outcome === 'invalid') return fail('invalid-ref', ref);
    if (!outcome) return fail('mismatch-versioned-tag', `${ref} vs ${expect.sourceVersionedTag}`);
  }
  return { verdict: 'pass' };
}

/** `v1.2` matches tags v1.2, v1.2.0, v1.2.7; missing components of the tag count as 0. */
export function versionedTagMatches(tag: string, expected: string): boolean | 'invalid' {
  const parse = (text: string): number[] | null => {
    const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?$/.exec(text);
    if (m === null) return null;
    return [m[1], m[2], m[3]].filter((x): x is string => x !== undefined).map(Number);
  };
  const actual = parse(tag);
  const wanted = parse(expected);
  if (actual === null) return 'invalid';
  if (wanted === null) return false;
  return wanted.every((part, i) => (actual[i] ?? 0) === part);
}
