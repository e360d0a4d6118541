/** The public surface of src/trust: signing formats, keys, Sigstore verification, SLSA checks. */
export { pae, parseEnvelope, signEnvelope, verifyEnvelope, type DsseEnvelope, type DsseSignature, type DsseSigner, type DsseVerification, type DsseVerifier } from './dsse.ts';
export { IN_TOTO_PAYLOAD_TYPE, STATEMENT_V1, makeStatement, parseStatement, statementCoversDigest, type Statement, type Subject } from './in-toto.ts';
export {
  PREDICATE_TYPES,
  checkPredicate,
  cosignVulnPredicate,
  cycloneDxPredicate,
  openVexDocument,
  predicateTypeFor,
  slsaProvenanceV1,
  type SlsaProvenanceInput,
  type SlsaProvenanceV1,
} from './predicates.ts';
export {
  KEY_ALGORITHMS,
  generateKeyPair,
  keyAlgorithm,
  keyId,
  parsePrivateKeyPem,
  parsePublicKeyPem,
  privateKeyToPem,
  publicKeyToPem,
  signBytes,
  verifyBytes,
  type KeyAlgorithm,
  type KeyPair,
} from './keys.ts';
export { COSIGN_KEY_LABEL, DEFAULT_SCRYPT, SIGSTORE_KEY_LABEL, decryptPrivateKey, encryptPrivateKey, isEncryptedKeyPem, type ScryptParams } from './cosign-key.ts';
export { verifyDigestSignature } from './prehashed.ts';
export { publicGoodTrustRoot, trustRootFromJson, type TrustRoot } from './sigstore/trusted-root.ts';
export {
  FULCIO_OIDS,
  makeBundleVerifier,
  parseBundle,
  verifyBundle,
  type BundleFacts,
  type CertificateExtensionName,
  type SignerFacts,
  type TlogFacts,
  type VerifyBundleInput,
} from './sigstore/verify-bundle.ts';
export { checkIdentity, type IdentityPolicy, type PolicyOutcome } from './sigstore/identity-policy.ts';
export { provenanceFacts, type ProvenanceFacts } from './slsa/provenance.ts';
export {
  DEFAULT_BUILDER_POLICY,
  SLSA_GITHUB_GENERATOR_BUILDERS,
  checkProvenance,
  versionedTagMatches,
  type BuilderPolicy,
  type ProvenanceCheck,
  type ProvenanceCheckFailure,
  type ProvenanceExpectations,
} from './slsa/check.ts';
export { PUBLIC_GOOD_FULCIO, PUBLIC_GOOD_REKOR, checkToken, fetchGithubActionsToken, keylessAttest, keylessSignBlob, type KeylessOptions } from './sigstore/keyless.ts';
export { detectCi, provenanceFromCi, GITHUB_ACTIONS_BUILD_TYPE, GITLAB_CI_BUILD_TYPE, MANUAL_BUILD_TYPE, type CiKind, type ProvenanceFlags } from './slsa/from-ci.ts';
export { COSIGN, COSIGN_SIGN_PREDICATE, SIGSTORE_BUNDLE_ARTIFACT_TYPE, cosignTag, simpleSigningPayload, parseSimpleSigning } from './oci/layouts.ts';
export { resolveImage, type ImageTarget } from './oci/store.ts';
export { attestImage, signImage, verifyImage, type FoundSignature, type ImageSigner, type ImageVerification, type Layouts, type VerifyImageOptions, type Written } from './oci/image-signatures.ts';
export { NPM_PUBLISH_PREDICATE, checkNpmPackage, type NpmCheck, type NpmCheckFailure, type NpmExpectations, type NpmFacts } from './slsa/npm.ts';
export { VSA_PREDICATE, verifyVsa, type VsaCheck, type VsaExpectations } from './slsa/vsa.ts';
