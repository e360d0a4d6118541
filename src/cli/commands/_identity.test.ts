import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addIdentityOptions, identityFromFlags, type IdentityFlags } from './_identity.ts';

describe('cli identity flags', () => {
  it('parses every cosign identity flag and maps it to its policy field, leaving absent ones out', () => {
    const command = addIdentityOptions(new Command('v').exitOverride());
    command.parse(
      [
        '--certificate-identity', 'san', '--certificate-identity-regexp', '^s', '--certificate-oidc-issuer', 'iss',
        '--certificate-oidc-issuer-regexp', '^i', '--certificate-github-workflow-repository', 'o/r',
        '--certificate-github-workflow-ref', 'refs/tags/v1', '--certificate-github-workflow-trigger', 'push',
        '--certificate-github-workflow-sha', 'abc', '--certificate-github-workflow-name', 'release',
      ],
      { from: 'user' },
    );
    expect(identityFromFlags(command.opts<IdentityFlags>())).toEqual({
      certificateIdentity: 'san',
      certificateIdentityRegexp: '^s',
      certificateOidcIssuer: 'iss',
      certificateOidcIssuerRegexp: '^i',
      githubWorkflowRepository: 'o/r',
      githubWorkflowRef: 'refs/tags/v1',
      githubWorkflowTrigger: 'push',
      githubWorkflowSha: 'abc',
      githubWorkflowName: 'release',
    });
    expect(Object.keys(identityFromFlags({ certificateOidcIssuer: 'iss' }))).toEqual(['certificateOidcIssuer']);
    expect(identityFromFlags({})).toEqual({});
  });
});
