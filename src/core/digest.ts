import { AppError } from './errors.ts';

/** An OCI content digest, `algorithm:hex`. Only sha256 and sha512 are accepted (OCI image spec). */
export type Digest = `${'sha256' | 'sha512'}:${string}`;

const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

export function isDigest(value: string): value is Digest {
  return DIGEST.test(value);
}

export function parseDigest(value: string): Digest {
  if (!isDigest(value)) {
    throw new AppError('DIGEST_INVALID', 'not a sha256 or sha512 digest', {
      details: { digest: value.slice(0, 140) },
    });
  }
  return value;
}

export function digestAlgorithm(digest: Digest): 'sha256' | 'sha512' {
  return digest.startsWith('sha512:') ? 'sha512' : 'sha256';
}

export function digestHex(digest: Digest): string {
  return digest.slice(digest.indexOf(':') + 1);
}
