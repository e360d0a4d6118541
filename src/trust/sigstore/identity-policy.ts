import type { BundleFacts, CertificateExtensionName } from './verify-bundle.ts';

/** The identity a signature must come from, spelled as cosign's flags. Pure data. */
export interface IdentityPolicy {
  readonly certificateIdentity?: string;
  readonly certificateIdentityRegexp?: string;
  readonly certificateOidcIssuer?: string;
  readonly certificateOidcIssuerRegexp?: string;
  readonly githubWorkflowTrigger?: string;
  readonly githubWorkflowSha?: string;
  readonly githubWorkflowName?: string;
  readonly githubWorkflowRepository?: string;
  readonly githubWorkflowRef?: string;
  /** Key-based: the caller supplied a key, so the signer is a public key and no identity is expected. */
  readonly keyBased?: boolean;
}

export interface PolicyOutcome {
  readonly verdict: 'pass' | 'fail';
  readonly reasons: readonly string[];
}

const WORKFLOW_CHECKS: readonly [keyof IdentityPolicy, CertificateExtensionName][] = [
  ['githubWorkflowTrigger', 'githubWorkflowTrigger'],
  ['githubWorkflowSha', 'githubWorkflowSha'],
  ['githubWorkflowName', 'githubWorkflowName'],
  ['githubWorkflowRepository', 'githubWorkflowRepository'],
  ['githubWorkflowRef', 'githubWorkflowRef'],
];

/**
 * Decides on verified facts. Fails closed: a keyless signature passes only with an identity AND an
 * issuer constraint (as cosign requires); a fact that is absent never satisfies a constraint.
 * Regular expressions match unanchored, as Go's regexp.MatchString in cosign does.
 */
export function checkIdentity(facts: BundleFacts, policy: IdentityPolicy): PolicyOutcome {
  const reasons: string[] = [];
  const signer = facts.signer;
  if (policy.keyBased === true) {
    // with --key, only a signature made by that key counts; a certificate signer is someone else
    if (signer.kind !== 'public-key') reasons.push('signed by a certificate, not by the given key');
    return { verdict: reasons.length === 0 ? 'pass' : 'fail', reasons };
  }
  if (signer.kind !== 'certificate') {
    return { verdict: 'fail', reasons: ['signed by a public key, but no --key was given to trust it'] };
  }
  const hasIdentity = policy.certificateIdentity !== undefined || policy.certificateIdentityRegexp !== undefined;
  const hasIssuer = policy.certificateOidcIssuer !== undefined || policy.certificateOidcIssuerRegexp !== undefined;
  if (!hasIdentity) reasons.push('no identity constraint (--certificate-identity or --certificate-identity-regexp)');
  if (!hasIssuer) reasons.push('no issuer constraint (--certificate-oidc-issuer or --certificate-oidc-issuer-regexp)');

  check(reasons, 'identity', signer.subjectAlternativeName, policy.certificateIdentity, policy.certificateIdentityRegexp);
  check(reasons, 'issuer', signer.issuer, policy.certificateOidcIssuer, policy.certificateOidcIssuerRegexp);
  for (const [flag, extension] of WORKFLOW_CHECKS) {
    const wanted = policy[flag];
    if (typeof wanted === 'string') check(reasons, extension, signer.extensions[extension] ?? null, wanted, undefined);
  }
  return { verdict: reasons.length === 0 ? 'pass' : 'fail', reasons };
}

function check(reasons: string[], what: string, actual: string | null, exact: string | undefined, pattern: string | undefined): void {
  if (exact === undefined && pattern === undefined) return;
  if (actual === null) {
    reasons.push(`${what}: the certificate does not state it`);
    return;
  }
  if (exact !== undefined && actual !== exact) {
    reasons.push(`${what}: ${JSON.stringify(actual)} is not ${JSON.stringify(exact)}`);
  }
  if (pattern !== undefined) {
    let re: RegExp;
    try {
      re = new RegExp(pattern, 'u');
    } catch (error) {
      reasons.push(`${what}: the pattern does not compile (${error instanceof Error ? error.message : 'error'})`);
      return;
    }
    if (!re.test(actual)) reasons.push(`${what}: ${JSON.stringify(actual)} does not match ${JSON.stringify(pattern)}`);
  }
}
