/**
 * The Sigstore corpus cases that carry an upstream expectation, as data. Paths are relative to
 * ../shared/corpus/sigstore/. Used by corpus.test.ts (the accuracy harness); kept out of index.ts.
 */
export interface CorpusCase {
  readonly id: string;
  readonly bundle: string;
  readonly artifact?: string;
  /** 'public-good' = the root shipped in @sigstore/tuf; else a trusted root / client trust config path. */
  readonly trust: string;
  readonly expected: 'pass' | 'fail';
  /** Upstream's failure happens at bundle load (schema/shape), not at verification. */
  readonly failsAtLoad?: boolean;
  readonly identity?: { readonly san: string; readonly issuer: string };
  /** Add this timestamp authority to the trust config (sigstore-python's TSA tests do). */
  readonly tsaOverride?: string;
  readonly source: string;
  /** Verify by the digest in the bundle's messageDigest (sigstore-go's WithArtifactDigest), no artifact. */
  readonly digestFromBundle?: boolean;
  /** Why we knowingly disagree with upstream (counted, printed, and checked to stay the same). */
  readonly knownDifference?: string;
}

const STAGING = 'trusted-roots/https%3A%2F%2Ftuf-repo-cdn.sigstage.dev/trusted_root.json';
const PY = 'sigstore-python/test/assets/';
const GO = 'sigstore-go/';

export const CORPUS_CASES: readonly CorpusCase[] = Object.freeze([
  { id: 'py/bundle.txt', bundle: `${PY}bundle.txt.sigstore`, artifact: `${PY}bundle.txt`, trust: STAGING, expected: 'pass', source: 'sigstore-python' },
  { id: 'py/bundle_v3.txt', bundle: `${PY}bundle_v3.txt.sigstore`, artifact: `${PY}bundle_v3.txt`, trust: STAGING, expected: 'pass', source: 'sigstore-python' },
  { id: 'py/bundle_v3_alt.txt', bundle: `${PY}bundle_v3_alt.txt.sigstore`, artifact: `${PY}bundle_v3_alt.txt`, trust: STAGING, expected: 'pass', source: 'sigstore-python' },
  { id: 'py/staging-rekor-v2.txt', bundle: `${PY}staging-rekor-v2.txt.sigstore.json`, artifact: `${PY}staging-rekor-v2.txt`, trust: STAGING, expected: 'pass', source: 'sigstore-python' },
  {
    id: 'py/a.dsse.staging-rekor-v2',
    bundle: `${PY}a.dsse.staging-rekor-v2.txt.sigstore.json`,
    trust: STAGING,
    expected: 'pass',
    // Rekor v2 logs this DSSE signature as a hashedrekord 0.0.2 over SHA-256(PAE); verify-bundle.ts rekorV2Dsse compares that
    source: 'sigstore-python',
  },
  { id: 'py/bundle_cve_2022_36056', bundle: `${PY}bundle_cve_2022_36056.txt.sigstore`, artifact: `${PY}bundle_cve_2022_36056.txt`, trust: STAGING, expected: 'fail', source: 'sigstore-python' },
  { id: 'py/bundle_invalid_version', bundle: `${PY}bundle_invalid_version.txt.sigstore`, artifact: `${PY}bundle_invalid_version.txt`, trust: STAGING, expected: 'fail', failsAtLoad: true, source: 'sigstore-python' },
  { id: 'py/bundle_no_cert_v1', bundle: `${PY}bundle_no_cert_v1.txt.sigstore`, artifact: `${PY}bundle_no_cert_v1.txt`, trust: STAGING, expected: 'fail', failsAtLoad: true, source: 'sigstore-python' },
  { id: 'py/bundle_no_log_entry', bundle: `${PY}bundle_no_log_entry.txt.sigstore`, artifact: `${PY}bundle_no_log_entry.txt`, trust: STAGING, expected: 'fail', failsAtLoad: true, source: 'sigstore-python' },
  { id: 'py/bundle_no_checkpoint', bundle: `${PY}bundle_no_checkpoint.txt.sigstore`, artifact: `${PY}bundle_no_checkpoint.txt`, trust: STAGING, expected: 'fail', failsAtLoad: true, source: 'sigstore-python' },
  { id: 'py/bundle_v3_no_signed_time', bundle: `${PY}bundle_v3_no_signed_time.txt.sigstore.json`, artifact: `${PY}bundle_v3_no_signed_time.txt`, trust: STAGING, expected: 'fail', failsAtLoad: true, source: 'sigstore-python' },
  {
    id: 'py/tsa/bundle.txt',
    bundle: `${PY}tsa/bundle.txt.sigstore`,
    artifact: `${PY}tsa/bundle.txt`,
    trust: `${PY}tsa/trust_config.json`,
    tsaOverride: `${PY}tsa/ca.json`,
    expected: 'pass',
    // two RFC 3161 timestamps, one from a TSA not in the trust config: counted against the threshold (verify-bundle.ts verifyWithTimestampThreshold)
    source: 'sigstore-python',
  },
  { id: 'py/tsa/many_timestamp', bundle: `${PY}tsa/bundle.many_timestamp.sigstore`, artifact: `${PY}tsa/bundle.txt`, trust: `${PY}tsa/trust_config.json`, tsaOverride: `${PY}tsa/ca.json`, expected: 'fail', source: 'sigstore-python' },
  { id: 'py/tsa/duplicate', bundle: `${PY}tsa/bundle.duplicate.sigstore`, artifact: `${PY}tsa/bundle.txt`, trust: `${PY}tsa/trust_config.json`, tsaOverride: `${PY}tsa/ca.json`, expected: 'fail', source: 'sigstore-python' },
  { id: 'py/tsa/late_timestamp', bundle: `${PY}tsa/bundle.txt.late_timestamp.sigstore`, artifact: `${PY}tsa/bundle.txt`, trust: `${PY}tsa/trust_config.json`, tsaOverride: `${PY}tsa/ca.json`, expected: 'fail', source: 'sigstore-python' },
  {
    id: 'go/sigstore.js@2.0.0-provenance',
    bundle: `${GO}pkg/testing/data/bundles/sigstore.js@2.0.0-provenance.sigstore.json`,
    trust: `${GO}pkg/testing/data/trusted-roots/public-good.json`,
    expected: 'pass',
    identity: { san: 'https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main', issuer: 'https://token.actions.githubusercontent.com' },
    source: 'sigstore-go',
  },
  {
    id: 'go/othername',
    bundle: `${GO}pkg/testing/data/bundles/othername.sigstore.json`,
    trust: `${GO}pkg/testing/data/trusted-roots/scaffolding.json`,
    expected: 'pass',
    digestFromBundle: true,
    identity: { san: 'foo!oidc.local', issuer: 'http://oidc.local:8080' },
    // the scaffolding Rekor's checkpoint names its pod, not its URL: the log is chosen by key hint (verify-bundle.ts checkpointSignerNames)
    source: 'sigstore-go',
  },
  { id: 'go/dsse-2sigs', bundle: `${GO}pkg/testing/data/bundles/dsse-2sigs.sigstore.json`, trust: `${GO}pkg/testing/data/trusted-roots/public-good.json`, expected: 'fail', source: 'sigstore-go' },
  { id: 'go/examples/bundle-provenance', bundle: `${GO}examples/bundle-provenance.json`, trust: `${GO}examples/trusted-root-public-good.json`, expected: 'pass', source: 'sigstore-go' },
  {
    // sigstore-python test_policy.py verifies this wheel's bundle against production, with GitHub identity policies
    id: 'py/bundle_v3_github.whl',
    bundle: `${PY}bundle_v3_github.whl.sigstore`,
    artifact: `${PY}bundle_v3_github.whl`,
    trust: 'trusted-roots/https%3A%2F%2Ftuf-repo-cdn.sigstore.dev/trusted_root.json',
    expected: 'pass',
    identity: { san: 'https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2', issuer: 'https://token.actions.githubusercontent.com' },
    source: 'sigstore-python',
  },
  {
    // cosign pkg/cosign testdata: a valid OCI attestation bundle and the trusted root it verifies against
    id: 'cosign/oci-attestation',
    bundle: 'cosign/pkg/cosign/testdata/oci-attestation.sigstore.json',
    trust: 'cosign/pkg/cosign/testdata/trusted_root_pgi.json',
    expected: 'pass',
    identity: { san: 'cody@soyland.com', issuer: 'https://github.com/login/oauth' },
    source: 'cosign',
  },
  {
    id: 'npm-real/provenance',
    bundle: 'npm-real/playwright-cli-0.1.1-provenance.sigstore.json',
    artifact: 'npm-real/playwright-cli-0.1.1.tgz',
    trust: 'public-good',
    expected: 'pass',
    identity: { san: 'https://github.com/microsoft/playwright-cli/.github/workflows/publish.yml@refs/tags/v0.1.1', issuer: 'https://token.actions.githubusercontent.com' },
    source: 'npm-real',
  },
  { id: 'npm-real/publish', bundle: 'npm-real/playwright-cli-0.1.1-publish.sigstore.json', artifact: 'npm-real/playwright-cli-0.1.1.tgz', trust: 'public-good', expected: 'pass', source: 'npm-real' },
]);
