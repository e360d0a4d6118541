import { constants, publicDecrypt, type KeyObject } from 'node:crypto';

/**
 * Verifies a signature given only the message DIGEST (sigstore-go's WithArtifactDigest; cosign's
 * `verify-blob --digest`). node:crypto has no prehashed verify, so ECDSA is checked here with
 * BigInt arithmetic (public data only: no secret-dependent timing matters for verification),
 * and RSA PKCS#1 v1.5 by recovering the DigestInfo with the public key.
 * Ed25519 cannot be verified from a digest (returns false).
 */
export function verifyDigestSignature(key: KeyObject, algorithm: 'sha256' | 'sha384' | 'sha512', digest: Buffer, signature: Buffer): boolean {
  if (key.asymmetricKeyType === 'ec') return verifyEcdsa(key, digest, signature);
  if (key.asymmetricKeyType === 'rsa') return verifyRsaPkcs1(key, algorithm, digest, signature);
  return false;
}

interface Curve {
  readonly p: bigint;
  readonly n: bigint;
  readonly gx: bigint;
  readonly gy: bigint;
  readonly bits: number;
}

const CURVES: Readonly<Record<string, Curve>> = {
  'P-256': {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
    bits: 256,
  },
  'P-384': {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    gx: 0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
    gy: 0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
    bits: 384,
  },
};

type Point = { readonly x: bigint; readonly y: bigint } | null;

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function inverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return mod(oldS, m);
}

function add(c: Curve, a: Point, b: Point): Point {
  if (a === null) return b;
  if (b === null) return a;
  if (a.x === b.x) {
    if (mod(a.y + b.y, c.p) === 0n) return null;
    // doubling, a = -3
    const l = mod((3n * a.x * a.x - 3n) * inverse(2n * a.y, c.p), c.p);
    const x = mod(l * l - 2n * a.x, c.p);
    return { x, y: mod(l * (a.x - x) - a.y, c.p) };
  }
  const l = mod((b.y - a.y) * inverse(b.x - a.x, c.p), c.p);
  const x = mod(l * l - a.x - b.x, c.p);
  return { x, y: mod(l * (a.x - x) - a.y, c.p) };
}

/** u1·G + u2·Q with Shamir's trick. */
function twoMul(c: Curve, u1: bigint, g: Point, u2: bigint, q: Point): Point {
  const gq = add(c, g, q);
  let acc: Point = null;
  const bits = Math.max(u1.toString(2).length, u2.toString(2).length);
  for (let i = bits - 1; i >= 0; i--) {
    acc = add(c, acc, acc);
    const b1 = (u1 >> BigInt(i)) & 1n;
    const b2 = (u2 >> BigInt(i)) & 1n;
    if (b1 === 1n && b2 === 1n) acc = add(c, acc, gq);
    else if (b1 === 1n) acc = add(c, acc, g);
    else if (b2 === 1n) acc = add(c, acc, q);
  }
  return acc;
}

function verifyEcdsa(key: KeyObject, digest: Buffer, signature: Buffer): boolean {
  const jwk = key.export({ format: 'jwk' });
  const curve = jwk.crv !== undefined ? CURVES[jwk.crv] : undefined;
  if (curve === undefined || jwk.x === undefined || jwk.y === undefined) return false;
  const rs = parseDerSignature(signature);
  if (rs === null) return false;
  const [r, s] = rs;
  if (r <= 0n || r >= curve.n || s <= 0n || s >= curve.n) return false;
  let e = BigInt(`0x${digest.toString('hex') || '0'}`);
  const excess = digest.length * 8 - curve.bits;
  if (excess > 0) e >>= BigInt(excess);
  const w = inverse(s, curve.n);
  const q = { x: BigInt(`0x${Buffer.from(jwk.x, 'base64url').toString('hex')}`), y: BigInt(`0x${Buffer.from(jwk.y, 'base64url').toString('hex')}`) };
  const point = twoMul(curve, mod(e * w, curve.n), { x: curve.gx, y: curve.gy }, mod(r * w, curve.n), q);
  return point !== null && mod(point.x, curve.n) === r;
}

/** ASN.1 DER SEQUENCE { INTEGER r, INTEGER s }, strictly. */
function parseDerSignature(sig: Buffer): [bigint, bigint] | null {
  if (sig.length < 8 || sig[0] !== 0x30) return null;
  let offset = 2;
  let total = sig[1] ?? 0;
  if (total === 0x81) {
    total = sig[2] ?? 0;
    offset = 3;
  }
  if (offset + total !== sig.length) return null;
  const out: bigint[] = [];
  for (let i = 0; i < 2; i++) {
    if (sig[offset] !== 0x02) return null;
    const len = sig[offset + 1] ?? 0;
    const bytes = sig.subarray(offset + 2, offset + 2 + len);
    if (bytes.length !== len || len === 0) return null;
    out.push(BigInt(`0x${bytes.toString('hex')}`));
    offset += 2 + len;
  }
  return offset === sig.length ? [out[0] ?? 0n, out[1] ?? 0n] : null;
}

const DIGEST_INFO_PREFIX: Readonly<Record<string, string>> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

function verifyRsaPkcs1(key: KeyObject, algorithm: string, digest: Buffer, signature: Buffer): boolean {
  const prefix = DIGEST_INFO_PREFIX[algorithm];
  if (prefix === undefined) return false;
  let recovered: Buffer;
  try {
    recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch (error) {
    if (error instanceof Error) return false;
    throw error;
  }
  return recovered.equals(Buffer.concat([Buffer.from(prefix, 'hex'), digest]));
}
