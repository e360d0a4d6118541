import type { ProvenanceFacts } from './provenance.ts';

/** npm's publish attestation predicate (https://github.com/npm/attestation/tree/main/specs/publish/v0.1). */
export const NPM_PUBLISH_PREDICATE = 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1';

const GITHUB_HOSTED = 'https://github.com/actions/runner/github-hosted';
const RUNNER = 'https://github.com/actions/runner';
const NODEJS_BUILDER = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_nodejs_slsa3.yml';

export interface NpmFacts {
  readonly provenance: ProvenanceFacts;
  /** From the verified publish attestation. */
  readonly publish: { readonly name: string | null; readonly version: string | null; readonly subjectDigests: readonly string[] };
}

export interface NpmExpectations {
  readonly tarballDigest: string;
  readonly sourceUri: string;
  readonly builderId?: string;
  readonly packageName?: string;
  readonly packageVersion?: string;
}

export type NpmCheckFailure =
  | 'mismatch-hash'
  | 'invalid-builder-id'
  | 'builder-not-supported'
  | 'mismatch-builder-id'
  | 'mismatch-source'
  | 'mismatch-package-name'
  | 'mismatch-package-version';

export type NpmCheck = { readonly verdict: 'pass' } | { readonly verdict: 'fail'; readonly failure: NpmCheckFailure; readonly detail: string };

/**
 * slsa-verifier's npm checks over verified provenance + publish attestations, in its order: subject
 * digest (both attestations) → builder id (required; npm CLI on GitHub-hosted runners or the SLSA
 * Node.js builder; another runner type is not supported) → source → package name → version.
 */
export function checkNpmPackage(facts: NpmFacts, expect: NpmExpectations): NpmCheck {
  const fail = (failure: NpmCheckFailure, detail: string): NpmCheck => ({ verdict: 'fail', failure, detail });
  const digest = expect.tarballDigest.toLowerCase();
  if (!facts.provenance.subjectDigests.includes(digest) || !facts.publish.subjectDigests.includes(digest)) return fail('mismatch-hash', digest);

  const wanted = expect.builderId;
  if (wanted === undefined || wanted === RUNNER) return fail('invalid-builder-id', wanted ?? 'no --builder-id');
  const actual = facts.provenance.builderId ?? '';
  if (wanted === GITHUB_HOSTED) {
    // npm CLI provenance v0.2 names the builder https://github.com/actions/runner; v1 adds the runner type
    if (actual !== GITHUB_HOSTED && actual !== RUNNER) return fail('mismatch-builder-id', actual);
  } else if (wanted.startsWith(`${RUNNER}/`)) {
    return fail('builder-not-supported', wanted);
  } else if (wanted.split('@')[0] === NODEJS_BUILDER) {
    if (actual.split('@')[0] !== NODEJS_BUILDER || (wanted.includes('@') && actual !== wanted)) return fail('mismatch-builder-id', actual);
  } else {
    return fail('builder-not-supported', wanted);
  }

  if (facts.provenance.sourceRepository !== expect.sourceUri.replace(/^https?:\/\//, '')) return fail('mismatch-source', facts.provenance.sourceRepository ?? 'none');
  if (expect.packageName !== undefined && facts.publish.name !== expect.packageName) return fail('mismatch-package-name', facts.publish.name ?? 'none');
  if (expect.packageVersion !== undefined && facts.publish.version !== expect.packageVersion) return fail('mismatch-package-version', facts.publish.version ?? 'none');
  return { verdict: 'pass' };
}
