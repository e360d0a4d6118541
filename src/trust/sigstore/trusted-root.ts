import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import type { KeyObject } from 'node:crypto';
import { toTrustMaterial, type TrustMaterial } from '@sigstore/verify';
import { AppError } from '../../core/errors.ts';

const PUBLIC_GOOD_TUF = 'https://tuf-repo-cdn.sigstore.dev';

/** A parsed Sigstore trusted root (application/vnd.dev.sigstore.trustedroot+json). */
export interface TrustRoot {
  readonly source: string;
  readonly material: TrustMaterial;
  /** Extra verification keys by hint (from the TUF targets, e.g. the npm registry's attestation key). */
  readonly keyHints: readonly string[];
  /** The same root trusting one more key for every hint (key-based bundles: `--key`). */
  withKey(publicKey: KeyObject): TrustMaterial;
}

export function trustRootFromJson(json: unknown, source: string, keys: Record<string, { rawBytes: string; keyDetails: string }> = {}): TrustRoot {
  const record = json as Record<string, unknown> | null;
  if (record === null || typeof record !== 'object' || typeof record['mediaType'] !== 'string' || !String(record['mediaType']).includes('trustedroot')) {
    throw new AppError('TRUST_ROOT_UNAVAILABLE', 'not a Sigstore trusted root (mediaType)', { details: { source } });
  }
  try {
    const root = TrustedRoot.fromJSON(record);
    const publicKeys = Object.fromEntries(
      Object.entries(keys).map(([hint, key]) => [
        hint,
        { rawBytes: Buffer.from(key.rawBytes, 'base64'), keyDetails: key.keyDetails as unknown as number, validFor: undefined },
      ]),
    );
    return {
      source,
      material: memoiseCaChecks(toTrustMaterial(root, publicKeys as never)),
      keyHints: Object.keys(keys).sort(),
      withKey: (publicKey) => memoiseCaChecks(toTrustMaterial(root, () => ({ publicKey, validFor: () => true }))),
    };
  } catch (cause) {
    throw new AppError('TRUST_ROOT_UNAVAILABLE', 'the trusted root does not parse', { cause, details: { source } });
  }
}

/**
 * The Sigstore public-good trusted root shipped inside @sigstore/tuf (its TUF seed), so that
 * verification works offline. Also returns the npm registry attestation keys from the same seed.
 */
export function publicGoodTrustRoot(): TrustRoot {
  const require = createRequire(import.meta.url);
  let seeds: Record<string, { targets: Record<string, string> }>;
  try {
    seeds = JSON.parse(readFileSync(require.resolve('@sigstore/tuf/seeds.json'), 'utf8')) as typeof seeds;
  } catch (cause) {
    throw new AppError('TRUST_ROOT_UNAVAILABLE', 'the shipped Sigstore TUF seed is missing', { cause });
  }
  const targets = seeds[PUBLIC_GOOD_TUF]?.targets;
  const root = targets?.['trusted_root.json'];
  if (root === undefined) {
    throw new AppError('TRUST_ROOT_UNAVAILABLE', 'the shipped TUF seed has no trusted_root.json');
  }
  const keys: Record<string, { rawBytes: string; keyDetails: string }> = {};
  const npm = targets?.['registry.npmjs.org%2Fkeys.json'];
  if (npm !== undefined) {
    const parsed = JSON.parse(Buffer.from(npm, 'base64').toString('utf8')) as { keys?: { keyId: string; publicKey: { rawBytes: string; keyDetails: string } }[] };
    for (const key of parsed.keys ?? []) keys[key.keyId] = key.publicKey;
  }
  return trustRootFromJson(JSON.parse(Buffer.from(root, 'base64').toString('utf8')), `${PUBLIC_GOOD_TUF} (shipped seed)`, keys);
}

type CertLike = { verify(issuer?: CertLike): boolean; equals(other: CertLike): boolean; readonly root: { toDER(): Buffer } };

/**
 * The trusted root's CA certificates are immutable, yet @sigstore/verify re-checks the same
 * intermediate→root signatures and re-encodes them to compare, for every bundle. Remember those
 * results per certificate instance of THIS material (the leaf certificate of each bundle is a new
 * instance and is always checked). Pure functions of immutable inputs; nothing module-level.
 */
function memoiseCaChecks(material: TrustMaterial): TrustMaterial {
  for (const ca of [...material.certificateAuthorities, ...material.timestampAuthorities]) {
    for (const cert of ca.certChain as unknown as CertLike[]) {
      const verify = cert.verify.bind(cert);
      const der = cert.root.toDER();
      const verified = new WeakMap<object, boolean>();
      const equal = new WeakMap<object, boolean>();
      let selfVerified: boolean | undefined;
      cert.verify = (issuer?: CertLike): boolean => {
        if (issuer === undefined) return (selfVerified ??= verify());
        let result = verified.get(issuer);
        if (result === undefined) verified.set(issuer, (result = verify(issuer)));
        return result;
      };
      cert.equals = (other: CertLike): boolean => {
        let result = equal.get(other);
        if (result === undefined) equal.set(other, (result = der.equals(other.root.toDER())));
        return result;
      };
    }
  }
  return material;
}
