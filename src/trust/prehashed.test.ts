import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, signBytes } from './keys.ts';
import { verifyDigestSignature } from './prehashed.ts';

describe('trust/prehashed', () => {
  it.each([
    ['ecdsa-p256', 'sha256'],
    ['ecdsa-p384', 'sha384'],
    ['rsa-2048', 'sha256'],
  ] as const)('%s: verifies a node:crypto signature from the digest alone', (alg, hash) => {
    const pair = generateKeyPair(alg);
    for (let i = 0; i < 5; i++) {
      const message = Buffer.from(`message ${i}`);
      const digest = createHash(hash).update(message).digest();
      const sig = signBytes(pair.privateKey, message);
      expect(verifyDigestSignature(pair.publicKey, hash, digest, sig)).toBe(true);
      const other = createHash(hash).update(Buffer.from(`other ${i}`)).digest();
      expect(verifyDigestSignature(pair.publicKey, hash, other, sig)).toBe(false);
      expect(verifyDigestSignature(generateKeyPair(alg).publicKey, hash, digest, sig)).toBe(false);
    }
  });

  it('refuses malformed signatures and Ed25519', () => {
    const pair = generateKeyPair('ecdsa-p256');
    const digest = createHash('sha256').update('x').digest();
    expect(verifyDigestSignature(pair.publicKey, 'sha256', digest, Buffer.from('3006020100020100', 'hex'))).toBe(false);
    expect(verifyDigestSignature(pair.publicKey, 'sha256', digest, Buffer.alloc(3))).toBe(false);
    const ed = generateKeyPair('ed25519');
    expect(verifyDigestSignature(ed.publicKey, 'sha256', digest, signBytes(ed.privateKey, Buffer.from('x')))).toBe(false);
  });
});
