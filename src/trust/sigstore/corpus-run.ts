import type { CorpusCase } from './corpus-cases.ts';
import { checkIdentity } from './identity-policy.ts';
import { publicGoodTrustRoot, trustRootFromJson, type TrustRoot } from './trusted-root.ts';
import { parseBundle, verifyBundle } from './verify-bundle.ts';

export interface CaseResult {
  readonly verdict: 'pass' | 'fail';
  readonly stage: 'load' | 'verify' | 'policy' | 'ok';
  readonly detail: string;
}

/** Runs one corpus case the way `tollgate verify-bundle` does. readFile is injected (bytes port). */
export function runCorpusCase(root: string, c: CorpusCase, readFile: (path: string) => Buffer, mutate?: (bytes: Buffer) => Buffer): CaseResult {
  let trust: TrustRoot;
  if (c.trust === 'public-good') {
    trust = publicGoodTrustRoot();
  } else {
    const json = JSON.parse(readFile(root + c.trust).toString()) as Record<string, unknown>;
    const trusted = (json['trustedRoot'] ?? json) as Record<string, unknown>;
    const withTsa = c.tsaOverride !== undefined ? { ...trusted, timestampAuthorities: [...((trusted['timestampAuthorities'] as unknown[] | undefined) ?? []), JSON.parse(readFile(root + c.tsaOverride).toString()) as unknown] } : trusted;
    trust = trustRootFromJson(withTsa, c.trust);
  }
  let bundle;
  try {
    bundle = parseBundle(readFile(root + c.bundle));
  } catch (error) {
    return { verdict: 'fail', stage: 'load', detail: describe(error) };
  }
  const artifact = c.artifact !== undefined ? readFile(root + c.artifact) : undefined;
  const content = bundle.content;
  const digest =
    c.digestFromBundle === true && content.$case === 'messageSignature'
      ? `sha256:${Buffer.from(content.messageSignature.messageDigest?.digest ?? Buffer.alloc(0)).toString('hex')}`
      : undefined;
  try {
    const facts = verifyBundle(trust, bundle, {
      ...(artifact !== undefined ? { artifact: mutate !== undefined ? mutate(artifact) : artifact } : {}),
      ...(digest !== undefined ? { digest } : {}),
    });
    if (c.identity !== undefined) {
      const outcome = checkIdentity(facts, { certificateIdentity: c.identity.san, certificateOidcIssuer: c.identity.issuer });
      if (outcome.verdict !== 'pass') return { verdict: 'fail', stage: 'policy', detail: outcome.reasons.join('; ') };
    }
    const who = facts.signer.kind === 'certificate' ? `${facts.signer.subjectAlternativeName ?? '?'} via ${facts.signer.issuer ?? '?'}` : `key ${facts.signer.hint}`;
    return { verdict: 'pass', stage: 'ok', detail: who };
  } catch (error) {
    return { verdict: 'fail', stage: 'verify', detail: describe(error) };
  }
}

function describe(error: unknown): string {
  const e = error as { code?: string; details?: Record<string, unknown>; message?: string };
  return `${e.code ?? 'ERROR'} ${JSON.stringify(e.details ?? {})}`;
}
