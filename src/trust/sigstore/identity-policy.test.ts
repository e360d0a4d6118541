import { describe, expect, it } from 'vitest';
import { checkIdentity } from './identity-policy.ts';
import type { BundleFacts } from './verify-bundle.ts';

const facts = (signer: BundleFacts['signer']): BundleFacts => ({
  mediaType: 'x', content: 'dsse', signer, verifiedTimes: [], tlog: [], subjectDigests: [], predicateType: null, payloadType: null,
});
const cert = facts({
  kind: 'certificate',
  subjectAlternativeName: 'https://github.com/org/app/.github/workflows/r.yml@refs/heads/main',
  issuer: 'https://token.actions.githubusercontent.com',
  extensions: { githubWorkflowRepository: 'org/app', githubWorkflowRef: 'refs/heads/main' },
  notBefore: '',
  notAfter: '',
});

describe('trust/identity-policy', () => {
  it.each`
    policy                                                                                                  | verdict
    ${{ certificateIdentity: 'https://github.com/org/app/.github/workflows/r.yml@refs/heads/main', certificateOidcIssuer: 'https://token.actions.githubusercontent.com' }} | ${'pass'}
    ${{ certificateIdentityRegexp: 'org/app', certificateOidcIssuerRegexp: 'githubusercontent' }}          | ${'pass'}
    ${{ certificateIdentityRegexp: '^org/app', certificateOidcIssuerRegexp: 'githubusercontent' }}         | ${'fail'}
    ${{ certificateIdentityRegexp: '.*', certificateOidcIssuerRegexp: '.*', githubWorkflowRepository: 'org/app' }} | ${'pass'}
    ${{ certificateIdentityRegexp: '.*', certificateOidcIssuerRegexp: '.*', githubWorkflowTrigger: 'push' }} | ${'fail'}
    ${{ certificateIdentityRegexp: '.*' }}                                                                  | ${'fail'}
    ${{ certificateOidcIssuer: 'https://token.actions.githubusercontent.com' }}                             | ${'fail'}
    ${{ certificateIdentityRegexp: '(', certificateOidcIssuerRegexp: '.*' }}                                | ${'fail'}
    ${{}}                                                                                                   | ${'fail'}
    ${{ keyBased: true }}                                                                                   | ${'fail'}
  `('$policy → $verdict', ({ policy, verdict }: { policy: object; verdict: string }) => {
    expect(checkIdentity(cert, policy).verdict).toBe(verdict);
  });

  it('key-based: a key signer passes only with --key; a key signer without --key fails', () => {
    const key = facts({ kind: 'public-key', hint: 'h' });
    expect(checkIdentity(key, { keyBased: true }).verdict).toBe('pass');
    expect(checkIdentity(key, { certificateIdentityRegexp: '.*', certificateOidcIssuerRegexp: '.*' }).verdict).toBe('fail');
  });
});
