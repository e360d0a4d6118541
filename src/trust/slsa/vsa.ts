import type { KeyObject } from 'node:crypto';
import { parseEnvelope, verifyEnvelope } from '../dsse.ts';
import { parseStatement } from '../in-toto.ts';
import { verifyBytes } from '../keys.ts';

export const VSA_PREDICATE = 'https://slsa.dev/verification_summary/v1';

export interface VsaExpectations {
  /** `alg:value` subject digests that must all be present. */
  readonly subjectDigests?: readonly string[];
  readonly verifierId?: string;
  readonly resourceUri?: string;
  /** Levels that must all be among the verified levels. */
  readonly verifiedLevels?: readonly string[];
}

export type VsaCheck =
  | { readonly verdict: 'pass' }
  | { readonly verdict: 'fail'; readonly failure: 'no-valid-signature' | 'invalid-predicate' | 'mismatch-subject' | 'mismatch-verifier' | 'mismatch-resource' | 'mismatch-levels' | 'not-passed'; readonly detail: string };

/**
 * A Verification Summary Attestation signed with a known key (slsa-verifier verify-vsa): only a
 * signature whose keyid names the key counts (the key id is part of the trust statement here),
 * then the VSA's subject, verifier, resource, result and levels are checked.
 */
export function verifyVsa(envelopeJson: unknown, publicKey: KeyObject, publicKeyId: string, expect: VsaExpectations): VsaCheck {
  const envelope = parseEnvelope(envelopeJson);
  const named = { ...envelope, signatures: envelope.signatures.filter((s) => s.keyid === publicKeyId) };
  let payload: Buffer;
  try {
    if (named.signatures.length === 0) return { verdict: 'fail', failure: 'no-valid-signature', detail: `no signature with keyid ${publicKeyId}` };
    payload = verifyEnvelope(named, [{ verify: (d, s) => verifyBytes(publicKey, d, s) }]).payload;
  } catch (error) {
    if ((error as { code?: string }).code === 'SIGNATURE_INVALID') return { verdict: 'fail', failure: 'no-valid-signature', detail: 'signature does not verify' };
    throw error;
  }
  const statement = parseStatement(payload);
  if (statement.predicateType !== VSA_PREDICATE) return { verdict: 'fail', failure: 'invalid-predicate', detail: statement.predicateType };
  const predicate = statement.predicate as { verifier?: { id?: string }; resourceUri?: string; verificationResult?: string; verifiedLevels?: string[] };
  if (predicate.verificationResult !== 'PASSED') return { verdict: 'fail', failure: 'not-passed', detail: String(predicate.verificationResult) };
  const digests = statement.subject.flatMap((s) => Object.entries(s.digest).map(([alg, value]) => `${alg}:${value}`));
  for (const wanted of expect.subjectDigests ?? []) if (!digests.includes(wanted)) return { verdict: 'fail', failure: 'mismatch-subject', detail: wanted };
  if (expect.verifierId !== undefined && predicate.verifier?.id !== expect.verifierId) return { verdict: 'fail', failure: 'mismatch-verifier', detail: String(predicate.verifier?.id) };
  if (expect.resourceUri !== undefined && predicate.resourceUri !== expect.resourceUri) return { verdict: 'fail', failure: 'mismatch-resource', detail: String(predicate.resourceUri) };
  for (const level of expect.verifiedLevels ?? []) if (!(predicate.verifiedLevels ?? []).includes(level)) return { verdict: 'fail', failure: 'mismatch-levels', detail: level };
  return { verdict: 'pass' };
}
