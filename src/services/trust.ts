import { AppError, isAppError, type ErrorKind } from '../core/errors.ts';
import { isJsonObject } from '../core/json.ts';
import type { Logger } from '../core/logger.ts';
import {
  checkIdentity,
  decryptPrivateKey,
  encryptPrivateKey,
  generateKeyPair,
  isEncryptedKeyPem,
  parseBundle,
  parsePrivateKeyPem,
  parsePublicKeyPem,
  publicGoodTrustRoot,
  publicKeyToPem,
  trustRootFromJson,
  verifyBundle,
  type BundleFacts,
  type IdentityPolicy,
  type KeyAlgorithm,
  type PolicyOutcome,
  type TrustRoot,
} from '../trust/index.ts';
import type { KeyObject } from 'node:crypto';
import { parseReference, type RegistryClient } from '../oci/index.ts';
import {
  attestImage,
  checkPredicate,
  fetchGithubActionsToken,
  makeStatement,
  predicateTypeFor,
  provenanceFromCi,
  resolveImage,
  signEnvelope,
  signBytes,
  signImage,
  keylessAttest,
  slsaProvenanceV1,
  verifyImage,
  IN_TOTO_PAYLOAD_TYPE,
  PREDICATE_TYPES,
  PUBLIC_GOOD_FULCIO,
  PUBLIC_GOOD_REKOR,
  type ImageSigner,
  type ImageVerification,
  type Layouts,
  type ProvenanceFlags,
  type Written,
} from '../trust/index.ts';

/** Bytes in and out; the composition root backs it with node:fs. */
export interface FilePort {
  readFile(path: string): Promise<Buffer>;
  /** Fails with a code when the file exists and `exclusive` is set. */
  writeFile(path: string, data: string | Uint8Array, options?: { readonly mode?: number; readonly exclusive?: boolean }): Promise<void>;
}

export interface TrustDeps {
  readonly files: FilePort;
  readonly log?: Logger;
  /** From src/config readEnvironment: COSIGN_PASSWORD / TOLLGATE_KEY_PASSWORD. */
  readonly keyPassword?: string;
  /** Registry access for image signing/verification. */
  readonly registry?: RegistryClient;
  /** SIGSTORE_ID_TOKEN, and GitHub Actions' token request variables (from src/config). */
  readonly identityToken?: string;
  readonly githubOidcRequest?: { readonly url: string; readonly token: string };
  /** CI variables for provenance (GITHUB_*, CI_*…). */
  readonly buildEnv?: Readonly<Record<string, string>>;
  readonly fetch?: typeof fetch;
}

/** How to sign: a key file, or keyless (Fulcio + Rekor). */
export interface SigningRequest {
  readonly keyPath?: string;
  readonly identityToken?: string;
  readonly fulcioUrl?: string;
  readonly rekorUrl?: string;
  readonly layout?: 'cosign' | 'referrers' | 'both';
}

export interface SignImageResult {
  readonly image: string;
  readonly digest: string;
  readonly signer: 'key' | 'keyless';
  readonly written: readonly Written[];
}

export interface VerifyImageRequest {
  readonly image: string;
  readonly keyPath?: string;
  readonly trustedRootPath?: string;
  readonly type?: string;
  readonly identity: Omit<IdentityPolicy, 'keyBased'>;
}

export interface ProvenanceRequest extends SigningRequest {
  /** An image reference (attached in the registry) or a `sha256:…` digest (written to outputPath). */
  readonly subject: string;
  readonly subjectName?: string;
  readonly flags: ProvenanceFlags;
}

export interface ProvenanceResult {
  readonly subject: string;
  readonly ci: string;
  readonly statement: unknown;
  /** For a digest subject: the signed document (Sigstore bundle when keyless, DSSE envelope with a key). */
  readonly signed?: unknown;
  readonly written?: readonly Written[];
}

export interface KeygenInput {
  readonly outputKeyPrefix: string;
  readonly algorithm?: KeyAlgorithm;
  readonly force?: boolean;
}

export interface KeygenResult {
  readonly privateKey: string;
  readonly publicKey: string;
  readonly algorithm: KeyAlgorithm;
}

export interface VerifyBundleRequest {
  readonly bundlePath: string;
  readonly artifactPath?: string;
  readonly digest?: string;
  readonly trustedRootPath?: string;
  readonly keyPath?: string;
  readonly identity: Omit<IdentityPolicy, 'keyBased'>;
}

/** What `verify-bundle --format json` prints: the facts, then what the identity policy made of them. */
export interface VerifyBundleReport {
  readonly verdict: 'pass' | 'fail';
  readonly bundle: string;
  readonly trustRoot: string;
  readonly facts: Omit<BundleFacts, 'payload'> | null;
  readonly policy: PolicyOutcome | null;
  /** Why the bundle did not verify; `kind` decides the exit code (invalid input, verification, limit…). */
  readonly error: { readonly code: string; readonly kind: ErrorKind; readonly message: string; readonly details: Readonly<Record<string, unknown>> } | null;
}

export interface TrustServices {
  keygen(input: KeygenInput): Promise<KeygenResult>;
  verifyBundle(request: VerifyBundleRequest): Promise<VerifyBundleReport>;
  /** Reads a signing key: an encrypted cosign/Sigstore key (password from the environment) or plain PEM. */
  loadSigningKey(path: string): Promise<KeyObject>;
  loadTrustRoot(path?: string): Promise<TrustRoot>;
  signImage(image: string, request: SigningRequest): Promise<SignImageResult>;
  attestImage(image: string, kind: string, predicatePath: string, request: SigningRequest): Promise<SignImageResult>;
  attestProvenance(request: ProvenanceRequest): Promise<ProvenanceResult>;
  verifyImage(request: VerifyImageRequest): Promise<ImageVerification>;
}

function layoutsOf(layout: SigningRequest['layout']): Layouts {
  return { cosign: layout !== 'referrers', referrers: layout !== 'cosign' };
}

export function makeTrustServices(deps: TrustDeps): TrustServices {
  const loadTrustRoot = async (path?: string): Promise<TrustRoot> => {
    if (path === undefined) return publicGoodTrustRoot();
    let json: unknown;
    try {
      json = JSON.parse((await deps.files.readFile(path)).toString('utf8'));
    } catch (cause) {
      if (isAppError(cause)) throw cause;
      throw new AppError('TRUST_ROOT_UNAVAILABLE', 'the trusted root file is not JSON', { cause, details: { path } });
    }
    // a ClientTrustConfig wraps the root in `trustedRoot`
    return trustRootFromJson(isJsonObject(json) && 'trustedRoot' in json ? json['trustedRoot'] : json, path);
  };

  const registry = (): RegistryClient => {
    if (deps.registry === undefined) throw new AppError('INTERNAL', 'no registry client configured');
    return deps.registry;
  };

  const loadSigningKey = async (path: string): Promise<KeyObject> => {
    const pem = (await deps.files.readFile(path)).toString('utf8');
    if (isEncryptedKeyPem(pem)) {
      if (deps.keyPassword === undefined) {
        throw new AppError('USAGE', 'the key is encrypted: set COSIGN_PASSWORD or TOLLGATE_KEY_PASSWORD');
      }
      return decryptPrivateKey(pem, deps.keyPassword);
    }
    return parsePrivateKeyPem(pem);
  };

  const signerFor = async (request: SigningRequest): Promise<ImageSigner> => {
    if (request.keyPath !== undefined) return { kind: 'key', privateKey: await loadSigningKey(request.keyPath) };
    let token = request.identityToken ?? deps.identityToken;
    if (token === undefined && deps.githubOidcRequest !== undefined) {
      token = await fetchGithubActionsToken(deps.githubOidcRequest, deps.fetch ?? fetch);
    }
    if (token === undefined) {
      throw new AppError('USAGE', 'give --key, or an OIDC token for keyless signing (--identity-token, SIGSTORE_ID_TOKEN, or GitHub Actions id-token: write)');
    }
    return { kind: 'keyless', options: { fulcioURL: request.fulcioUrl ?? PUBLIC_GOOD_FULCIO, rekorURL: request.rekorUrl ?? PUBLIC_GOOD_REKOR, identityToken: token } };
  };

  const target = async (image: string) => {
    const ref = parseReference(image);
    return resolveImage(registry(), ref.registry, ref.repository, ref.digest ?? ref.tag ?? 'latest');
  };

  return {
    loadTrustRoot,

    async signImage(image, request) {
      const t = await target(image);
      const signer = await signerFor(request);
      const written = await signImage(registry(), t, signer, layoutsOf(request.layout));
      return { image: `${t.registry}/${t.repository}`, digest: t.digest, signer: signer.kind, written };
    },

    async attestImage(image, kind, predicatePath, request) {
      let predicate: unknown;
      try {
        predicate = JSON.parse((await deps.files.readFile(predicatePath)).toString('utf8'));
      } catch (cause) {
        if (isAppError(cause)) throw cause;
        throw new AppError('INPUT_INVALID', 'the predicate file is not JSON', { cause, details: { path: predicatePath } });
      }
      const predicateType = predicateTypeFor(kind);
      checkPredicate(predicateType, predicate);
      const t = await target(image);
      const signer = await signerFor(request);
      const written = await attestImage(registry(), t, predicateType, predicate, signer, layoutsOf(request.layout));
      return { image: `${t.registry}/${t.repository}`, digest: t.digest, signer: signer.kind, written };
    },

    async attestProvenance(request) {
      const input = provenanceFromCi(deps.buildEnv ?? {}, request.flags);
      const predicate = slsaProvenanceV1(input);
      if (request.subject.startsWith('sha256:')) {
        const statement = makeStatement([{ name: request.subjectName ?? 'artifact', digest: { sha256: request.subject.slice(7) } }], PREDICATE_TYPES.slsa, predicate);
        const payload = Buffer.from(JSON.stringify(statement));
        const signer = await signerFor(request);
        const signed =
          signer.kind === 'key'
            ? await signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, [{ sign: (d) => signBytes(signer.privateKey, d) }])
            : await keylessAttest(payload, IN_TOTO_PAYLOAD_TYPE, signer.options);
        return { subject: request.subject, ci: input.ci, statement, signed };
      }
      const t = await target(request.subject);
      const signer = await signerFor(request);
      const written = await attestImage(registry(), t, PREDICATE_TYPES.slsa, predicate, signer, layoutsOf(request.layout));
      return { subject: `${t.registry}/${t.repository}@${t.digest}`, ci: input.ci, statement: makeStatement([{ name: `${t.registry}/${t.repository}`, digest: { sha256: t.digest.slice(7) } }], PREDICATE_TYPES.slsa, predicate), written };
    },

    async verifyImage(request) {
      const root = await loadTrustRoot(request.trustedRootPath);
      const publicKey = request.keyPath !== undefined ? parsePublicKeyPem((await deps.files.readFile(request.keyPath)).toString('utf8')) : undefined;
      const t = await target(request.image);
      return verifyImage(registry(), t, {
        root,
        identity: request.identity,
        ...(publicKey !== undefined ? { publicKey } : {}),
        ...(request.type !== undefined ? { predicateType: predicateTypeFor(request.type) } : {}),
      });
    },

    async keygen(input) {
      const password = deps.keyPassword;
      if (password === undefined) {
        throw new AppError('USAGE', 'set COSIGN_PASSWORD or TOLLGATE_KEY_PASSWORD (may be empty) to encrypt the new key');
      }
      const algorithm = input.algorithm ?? 'ecdsa-p256';
      const pair = generateKeyPair(algorithm);
      const privateKey = `${input.outputKeyPrefix}.key`;
      const publicKey = `${input.outputKeyPrefix}.pub`;
      const exclusive = input.force !== true;
      await deps.files.writeFile(privateKey, await encryptPrivateKey(pair.privateKey, password), { mode: 0o600, exclusive });
      await deps.files.writeFile(publicKey, publicKeyToPem(pair.publicKey), { mode: 0o644, exclusive });
      deps.log?.info({ privateKey, publicKey, algorithm }, 'key pair written');
      return { privateKey, publicKey, algorithm };
    },

    loadSigningKey,

    async verifyBundle(request) {
      const root = await loadTrustRoot(request.trustedRootPath);
      const base = { bundle: request.bundlePath, trustRoot: root.source };
      if (request.artifactPath === undefined && request.digest === undefined) {
        throw new AppError('USAGE', 'give --artifact FILE or --digest sha256:…');
      }
      const publicKey = request.keyPath !== undefined ? parsePublicKeyPem((await deps.files.readFile(request.keyPath)).toString('utf8')) : undefined;
      const artifact = request.artifactPath !== undefined ? await deps.files.readFile(request.artifactPath) : undefined;
      const bundleBytes = await deps.files.readFile(request.bundlePath);
      let facts: BundleFacts;
      try {
        facts = verifyBundle(root, parseBundle(bundleBytes), {
          ...(artifact !== undefined ? { artifact } : {}),
          ...(request.digest !== undefined ? { digest: request.digest } : {}),
          ...(publicKey !== undefined ? { publicKey } : {}),
        });
      } catch (error) {
        if (!isAppError(error) || error.kind === 'internal' || error.code === 'USAGE') throw error;
        return { ...base, verdict: 'fail', facts: null, policy: null, error: { code: error.code, kind: error.kind, message: error.message, details: error.details } };
      }
      const { payload: _payload, ...shown } = facts;
      const policy = checkIdentity(facts, { ...request.identity, ...(publicKey !== undefined ? { keyBased: true } : {}) });
      return { ...base, verdict: policy.verdict, facts: shown, policy, error: null };
    },
  };
}
