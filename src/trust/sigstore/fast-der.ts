import type { X509Certificate } from '@sigstore/core';

/**
 * @sigstore/core re-encodes certificates (ASN1Obj.toDER) for every signature, equality and SCT
 * check, allocating a zero-filled 1 KiB buffer per ASN.1 node: most of a warm keyless verification.
 * derEncode is the same algorithm (tag byte, DER length, value or the encodings of the children)
 * without the per-node buffers, so its output is byte-for-byte the same (fast-der.test.ts).
 */
export interface Asn1Node {
  readonly tag: { toDER(): number };
  readonly value: Buffer;
  readonly subs: readonly Asn1Node[];
}

export function derEncode(node: Asn1Node): Buffer {
  const value = node.subs.length > 0 ? Buffer.concat(node.subs.map(derEncode)) : node.value;
  return Buffer.concat([Buffer.from([node.tag.toDER()]), derLength(value.length), value]);
}

function derLength(length: number): Buffer {
  if (length < 128) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

type Encodable = Asn1Node & { toDER(): Buffer };

/**
 * Makes ONE certificate instance (a bundle's leaf, parsed afresh for each verification by
 * toSignedEntity) encode itself with derEncode. Its whole and TBS encodings are remembered on the
 * instance: @sigstore/verify never modifies it (it edits a clone() for the SCT check, and the
 * clone's TBS is re-encoded every time). Nothing is shared between certificates or bundles.
 */
export function fastEncoding(cert: X509Certificate): void {
  const root = cert.root as unknown as Encodable;
  const tbs = cert.tbsCertificate as unknown as Encodable;
  let rootDer: Buffer | undefined;
  let tbsDer: Buffer | undefined;
  root.toDER = (): Buffer => (rootDer ??= derEncode(root));
  tbs.toDER = (): Buffer => (tbsDer ??= derEncode(tbs));
  const clone = cert.clone.bind(cert);
  cert.clone = (): X509Certificate => {
    const copy = clone();
    const copyTbs = copy.tbsCertificate as unknown as Encodable;
    copyTbs.toDER = (): Buffer => derEncode(copyTbs);
    return copy;
  };
}
