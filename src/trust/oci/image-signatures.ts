import type { KeyObject } from 'node:crypto';
import { AppError, isAppError } from '../../core/errors.ts';
import type { RegistryClient } from '../../oci/index.ts';
import { parseEnvelope, signEnvelope, verifyEnvelope, type DsseEnvelope } from '../dsse.ts';
import { IN_TOTO_PAYLOAD_TYPE, makeStatement, parseStatement, statementCoversDigest } from '../in-toto.ts';
import { keyId, signBytes, verifyBytes } from '../keys.ts';
import { checkIdentity, type IdentityPolicy, type PolicyOutcome } from '../sigstore/identity-policy.ts';
import { keylessAttest, keylessSignBlob, type KeylessOptions } from '../sigstore/keyless.ts';
import type { TrustRoot } from '../sigstore/trusted-root.ts';
import { bundleOf, makeBundleVerifier, parseBundle, type BundleFacts } from '../sigstore/verify-bundle.ts';
import { blobOf, bundleFromCosignLayer, COSIGN, COSIGN_SIGN_PREDICATE, parseSimpleSigning, rekorAnnotationFromBundle, simpleSigningPayload } from './layouts.ts';
import { appendCosignLayer, attachReferrer, readCosignLayers, readReferrerBundles, type ImageTarget } from './store.ts';

export type ImageSigner = { readonly kind: 'key'; readonly privateKey: KeyObject } | { readonly kind: 'keyless'; readonly options: KeylessOptions };

export interface Layouts {
  /** cosign's tag scheme (`sha256-<hex>.sig|.att`). */
  readonly cosign: boolean;
  /** OCI 1.1 referrers carrying Sigstore bundles (tag-schema fallback where the API is missing). */
  readonly referrers: boolean;
}

export interface Written {
  readonly layout: 'cosign' | 'referrers';
  readonly digest: string;
  readonly via?: 'referrers-api' | 'tag-schema';
}

function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function certificateOf(bundle: Readonly<Record<string, unknown>>): string | null {
  const material = bundle['verificationMaterial'] as { certificate?: { rawBytes: string }; x509CertificateChain?: { certificates: { rawBytes: string }[] } } | undefined;
  const raw = material?.certificate?.rawBytes ?? material?.x509CertificateChain?.certificates[0]?.rawBytes;
  return raw !== undefined ? toPem(Buffer.from(raw, 'base64')) : null;
}

/** A key-based bundle (no transparency log): the DSSE envelope and the key's hint. */
function keyBundle(envelope: DsseEnvelope, publicKeyHint: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: { publicKey: { hint: publicKeyHint }, tlogEntries: [], timestampVerificationData: { rfc3161Timestamps: [] } },
      dsseEnvelope: { payloadType: envelope.payloadType, payload: envelope.payload, signatures: envelope.signatures.map((s) => ({ sig: s.sig, keyid: s.keyid ?? '' })) },
    }),
  );
}

async function dsseWith(signer: ImageSigner, statement: Buffer): Promise<{ envelope: DsseEnvelope; bundle: Buffer; annotations: Record<string, string> }> {
  if (signer.kind === 'key') {
    const envelope = await signEnvelope(IN_TOTO_PAYLOAD_TYPE, statement, [{ sign: (d) => signBytes(signer.privateKey, d) }]);
    const hint = keyId(createPublicKeyOf(signer.privateKey));
    return { envelope, bundle: keyBundle(envelope, hint), annotations: {} };
  }
  const bundle = await keylessAttest(statement, IN_TOTO_PAYLOAD_TYPE, signer.options);
  const envelope = parseEnvelope(bundle['dsseEnvelope']);
  const cert = certificateOf(bundle);
  const rekor = rekorAnnotationFromBundle(bundle);
  return {
    envelope,
    bundle: Buffer.from(JSON.stringify(bundle)),
    annotations: { ...(cert !== null ? { [COSIGN.certificateAnnotation]: cert } : {}), ...(rekor !== null ? { [COSIGN.bundleAnnotation]: JSON.stringify(rekor) } : {}) },
  };
}

function createPublicKeyOf(privateKey: KeyObject): KeyObject {
  return globalThis.process.getBuiltinModule('node:crypto').createPublicKey(privateKey);
}

/** `tollgate sign`: a cosign signature (simple signing) and/or a Sigstore bundle referrer. */
export async function signImage(client: RegistryClient, target: ImageTarget, signer: ImageSigner, layouts: Layouts): Promise<Written[]> {
  const written: Written[] = [];
  const dockerReference = `${target.registry}/${target.repository}`;
  if (layouts.cosign) {
    const payload = simpleSigningPayload(dockerReference, target.digest);
    let annotations: Record<string, string>;
    if (signer.kind === 'key') {
      annotations = { [COSIGN.signatureAnnotation]: signBytes(signer.privateKey, payload).toString('base64') };
    } else {
      const bundle = await keylessSignBlob(payload, signer.options);
      const signature = (bundle['messageSignature'] as { signature?: string } | undefined)?.signature ?? '';
      const cert = certificateOf(bundle);
      const rekor = rekorAnnotationFromBundle(bundle);
      annotations = {
        [COSIGN.signatureAnnotation]: signature,
        ...(cert !== null ? { [COSIGN.certificateAnnotation]: cert, [COSIGN.chainAnnotation]: '' } : {}),
        ...(rekor !== null ? { [COSIGN.bundleAnnotation]: JSON.stringify(rekor) } : {}),
      };
    }
    const digest = await appendCosignLayer(client, target, 'sig', blobOf(payload, COSIGN.simpleSigningMediaType, annotations));
    written.push({ layout: 'cosign', digest });
  }
  if (layouts.referrers) {
    const statement = makeStatement([{ name: dockerReference, digest: { sha256: target.digest.slice('sha256:'.length) } }], COSIGN_SIGN_PREDICATE, {});
    const { bundle } = await dsseWith(signer, Buffer.from(JSON.stringify(statement)));
    const attached = await attachReferrer(client, target, bundle, { 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': COSIGN_SIGN_PREDICATE });
    written.push({ layout: 'referrers', digest: attached.digest, via: attached.via });
  }
  return written;
}

/** `tollgate attest`: an in-toto statement about the image, DSSE-signed, in the chosen layouts. */
export async function attestImage(client: RegistryClient, target: ImageTarget, predicateType: string, predicate: unknown, signer: ImageSigner, layouts: Layouts): Promise<Written[]> {
  const statement = makeStatement([{ name: `${target.registry}/${target.repository}`, digest: { sha256: target.digest.slice('sha256:'.length) } }], predicateType, predicate);
  const signed = await dsseWith(signer, Buffer.from(JSON.stringify(statement)));
  const written: Written[] = [];
  if (layouts.cosign) {
    const layer = blobOf(Buffer.from(JSON.stringify(signed.envelope)), COSIGN.dsseMediaType, {
      [COSIGN.signatureAnnotation]: '',
      [COSIGN.predicateTypeAnnotation]: predicateType,
      ...signed.annotations,
    });
    written.push({ layout: 'cosign', digest: await appendCosignLayer(client, target, 'att', layer) });
  }
  if (layouts.referrers) {
    const attached = await attachReferrer(client, target, signed.bundle, { 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': predicateType });
    written.push({ layout: 'referrers', digest: attached.digest, via: attached.via });
  }
  return written;
}

export interface VerifyImageOptions {
  readonly root: TrustRoot;
  readonly publicKey?: KeyObject;
  readonly identity: Omit<IdentityPolicy, 'keyBased'>;
  /** Only attestations of this predicate type; signatures are checked when absent. */
  readonly predicateType?: string;
}

/** One signature or attestation found on the image, with its facts and verdict. */
export interface FoundSignature {
  readonly layout: 'cosign' | 'referrers';
  readonly kind: 'signature' | 'attestation';
  readonly predicateType: string | null;
  readonly verdict: 'pass' | 'fail';
  readonly signer: BundleFacts['signer'] | { readonly kind: 'public-key'; readonly hint: string } | null;
  readonly tlogEntries: number;
  readonly policy: PolicyOutcome | null;
  readonly error: { readonly code: string; readonly message: string } | null;
}

export interface ImageVerification {
  readonly image: string;
  readonly digest: string;
  readonly verdict: 'pass' | 'fail';
  readonly found: readonly FoundSignature[];
}

/** Gathers every signature/attestation in both layouts, verifies each, then lets the identity policy decide. */
export async function verifyImage(client: RegistryClient, target: ImageTarget, options: VerifyImageOptions): Promise<ImageVerification> {
  const found: FoundSignature[] = [];
  const wantAttestations = options.predicateType !== undefined;
  const keyBased = options.publicKey !== undefined;
  const decide = (facts: BundleFacts | null, layout: 'cosign' | 'referrers', kind: 'signature' | 'attestation', predicateType: string | null): FoundSignature => {
    const policy = facts !== null ? checkIdentity(facts, { ...options.identity, ...(keyBased ? { keyBased: true } : {}) }) : null;
    return { layout, kind, predicateType, verdict: policy?.verdict ?? 'fail', signer: facts?.signer ?? null, tlogEntries: facts?.tlog.length ?? 0, policy, error: null };
  };
  const failed = (layout: 'cosign' | 'referrers', kind: 'signature' | 'attestation', error: unknown, predicateType: string | null = null): FoundSignature => {
    if (!isAppError(error) || error.kind === 'internal') throw error;
    return { layout, kind, predicateType, verdict: 'fail', signer: null, tlogEntries: 0, policy: null, error: { code: error.code, message: error.message } };
  };
  // one verifier (trust material, thresholds) for every bundle of the image: building it is the costly
  // part, so it is built on the first bundle only (an image with key-signed simple signatures or none
  // at all, the usual admission case, never pays for it)
  let verifier: ReturnType<typeof makeBundleVerifier> | undefined;
  const verify: ReturnType<typeof makeBundleVerifier> = (bundle, input) => {
    verifier ??= makeBundleVerifier(options.root, options.publicKey !== undefined ? { publicKey: options.publicKey } : {});
    return verifier(bundle, input);
  };
  const keyFacts = (hint: string, predicateType: string | null): BundleFacts => ({
    mediaType: 'cosign', content: 'message-signature', signer: { kind: 'public-key', hint }, verifiedTimes: [], tlog: [], subjectDigests: [target.digest], predicateType, payloadType: null,
  });

  if (!wantAttestations) {
    for (const layer of await readCosignLayers(client, target, 'sig')) {
      try {
        const payload = parseSimpleSigning(layer.bytes);
        if (payload.manifestDigest !== target.digest) throw new AppError('DIGEST_MISMATCH', 'the signature is for another image digest');
        const annotations = layer.descriptor.annotations ?? {};
        if (options.publicKey !== undefined) {
          const sig = Buffer.from(annotations[COSIGN.signatureAnnotation] ?? '', 'base64');
          if (!verifyBytes(options.publicKey, layer.bytes, sig)) throw new AppError('SIGNATURE_INVALID', 'the signature does not verify with the key');
          found.push(decide(keyFacts(keyId(options.publicKey), null), 'cosign', 'signature', null));
        } else {
          const bundle = bundleFromCosignLayer(layer.bytes, annotations);
          if (bundle === null) throw new AppError('SIGNATURE_INVALID', 'a key-signed signature and no --key to verify it');
          found.push(decide(verify(bundleOf(bundle), { artifact: layer.bytes }), 'cosign', 'signature', null));
        }
      } catch (error) {
        found.push(failed('cosign', 'signature', error));
      }
    }
  } else {
    for (const layer of await readCosignLayers(client, target, 'att')) {
      const annotations = layer.descriptor.annotations ?? {};
      const declared = annotations[COSIGN.predicateTypeAnnotation] ?? null;
      try {
        const envelope = parseEnvelope(JSON.parse(layer.bytes.toString('utf8')));
        const statementType = parseStatement(Buffer.from(envelope.payload, 'base64')).predicateType;
        if (statementType !== options.predicateType) continue;
        if (options.publicKey !== undefined) {
          const key = options.publicKey;
          const verified = verifyEnvelope(envelope, [{ verify: (d, s) => verifyBytes(key, d, s) }]);
          const statement = parseStatement(verified.payload);
          if (!statementCoversDigest(statement, target.digest)) throw new AppError('DIGEST_MISMATCH', 'the attestation is about another image');
          found.push(decide(keyFacts(keyId(key), statement.predicateType), 'cosign', 'attestation', statement.predicateType));
        } else {
          const rebuilt = bundleFromCosignLayer(layer.bytes, annotations, 'attestation');
          if (rebuilt === null) throw new AppError('SIGNATURE_INVALID', 'a key-signed attestation and no --key to verify it');
          const facts = verify(bundleOf(rebuilt), { digest: target.digest });
          found.push(decide(facts, 'cosign', 'attestation', facts.predicateType));
        }
      } catch (error) {
        found.push(failed('cosign', 'attestation', error, declared));
      }
    }
  }

  for (const referrer of await readReferrerBundles(client, target)) {
    const declared = referrer.annotations['dev.sigstore.bundle.predicateType'] ?? null;
    const isSignature = declared === COSIGN_SIGN_PREDICATE;
    if (wantAttestations ? declared !== options.predicateType : !isSignature) continue;
    const kind = isSignature ? 'signature' : 'attestation';
    try {
      const facts = verify(parseBundle(referrer.bundle), { digest: target.digest });
      if (facts.predicateType !== declared) throw new AppError('SIGNATURE_INVALID', 'the bundle predicate type differs from its annotation');
      found.push(decide(facts, 'referrers', kind, facts.predicateType));
    } catch (error) {
      found.push(failed('referrers', kind, error, declared));
    }
  }
  return {
    image: `${target.registry}/${target.repository}@${target.digest}`,
    digest: target.digest,
    verdict: found.some((f) => f.verdict === 'pass') ? 'pass' : 'fail',
    found,
  };
}
