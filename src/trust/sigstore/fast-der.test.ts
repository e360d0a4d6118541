import { readFileSync } from 'node:fs';
import { X509Certificate } from '@sigstore/core';
import { describe, expect, it } from 'vitest';
import { corpusDir } from '../../testing/peers.ts';
import { derEncode, fastEncoding, type Asn1Node } from './fast-der.ts';

const ROOT = `${corpusDir()}sigstore/`;

function certificates(): X509Certificate[] {
  const json = JSON.parse(readFileSync(`${ROOT}npm-real/playwright-cli-0.1.1-provenance.sigstore.json`, 'utf8')) as { verificationMaterial: { certificate: { rawBytes: string } } };
  const staging = JSON.parse(readFileSync(`${ROOT}trusted-roots/https%3A%2F%2Ftuf-repo-cdn.sigstage.dev/trusted_root.json`, 'utf8')) as { certificateAuthorities: { certChain: { certificates: { rawBytes: string }[] } }[] };
  return [json.verificationMaterial.certificate.rawBytes, ...staging.certificateAuthorities.flatMap((ca) => ca.certChain.certificates.map((c) => c.rawBytes))].map((b64) =>
    X509Certificate.parse(Buffer.from(b64, 'base64')),
  );
}

describe('trust/sigstore fast-der', () => {
  it('encodes every node of real certificates exactly as @sigstore/core does', () => {
    let nodes = 0;
    const walk = (node: Asn1Node & { toDER(): Buffer }): void => {
      nodes++;
      expect(derEncode(node).equals(node.toDER())).toBe(true);
      for (const sub of node.subs) walk(sub as Asn1Node & { toDER(): Buffer });
    };
    for (const cert of certificates()) walk(cert.root as unknown as Asn1Node & { toDER(): Buffer });
    expect(nodes).toBeGreaterThan(100);
  });

  it('encodes long lengths (>= 128, >= 256 bytes) in DER form', () => {
    for (const size of [0, 127, 128, 255, 256, 65535, 65536]) {
      const encoded = derEncode({ tag: { toDER: () => 0x04 }, value: Buffer.alloc(size, 7), subs: [] });
      expect(encoded.length - size).toBe(size < 128 ? 2 : size < 256 ? 3 : size < 65536 ? 4 : 5);
    }
  });

  it('a certificate with fastEncoding encodes, compares, clones and verifies the same; edits to a clone do not leak', () => {
    const [leaf, ...cas] = certificates();
    const plain = X509Certificate.parse(Buffer.from(leaf!.root.toDER()));
    const fast = X509Certificate.parse(Buffer.from(leaf!.root.toDER()));
    fastEncoding(fast);
    expect(fast.root.toDER().equals(plain.root.toDER())).toBe(true);
    expect(fast.tbsCertificate.toDER().equals(plain.tbsCertificate.toDER())).toBe(true);
    expect(fast.equals(plain)).toBe(true);
    expect(cas.length).toBeGreaterThan(0);
    for (const ca of cas) expect(fast.verify(ca)).toBe(plain.verify(ca));
    const copy = fast.clone();
    copy.extensions.splice(0, 1);
    const plainCopy = plain.clone();
    plainCopy.extensions.splice(0, 1);
    expect(copy.tbsCertificate.toDER().equals(plainCopy.tbsCertificate.toDER())).toBe(true);
    expect(fast.tbsCertificate.toDER().equals(plain.tbsCertificate.toDER())).toBe(true);
  });
});
