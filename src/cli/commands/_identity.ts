import type { Command } from 'commander';
import type { IdentityPolicy } from '../../trust/index.ts';

export interface IdentityFlags {
  readonly certificateIdentity?: string;
  readonly certificateIdentityRegexp?: string;
  readonly certificateOidcIssuer?: string;
  readonly certificateOidcIssuerRegexp?: string;
  readonly certificateGithubWorkflowRepository?: string;
  readonly certificateGithubWorkflowRef?: string;
  readonly certificateGithubWorkflowTrigger?: string;
  readonly certificateGithubWorkflowSha?: string;
  readonly certificateGithubWorkflowName?: string;
}

/** cosign's identity flags, shared by verify and verify-bundle. */
export function addIdentityOptions(command: Command): Command {
  return command
    .option('--certificate-identity <san>', 'the exact signer identity (certificate SAN: e-mail or workflow URI)')
    .option('--certificate-identity-regexp <re>', 'a regular expression the signer identity must match')
    .option('--certificate-oidc-issuer <url>', 'the exact OIDC issuer, e.g. https://token.actions.githubusercontent.com')
    .option('--certificate-oidc-issuer-regexp <re>', 'a regular expression the OIDC issuer must match')
    .option('--certificate-github-workflow-repository <owner/repo>', 'GitHub workflow repository extension')
    .option('--certificate-github-workflow-ref <ref>', 'GitHub workflow ref extension, e.g. refs/tags/v1.0.0')
    .option('--certificate-github-workflow-trigger <event>', 'GitHub workflow trigger extension, e.g. push')
    .option('--certificate-github-workflow-sha <sha>', 'GitHub workflow commit extension')
    .option('--certificate-github-workflow-name <name>', 'GitHub workflow name extension');
}

export function identityFromFlags(flags: IdentityFlags): Omit<IdentityPolicy, 'keyBased'> {
  const pick = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> =>
    (value !== undefined ? { [key]: value } : {}) as Partial<Record<K, string>>;
  return {
    ...pick('certificateIdentity', flags.certificateIdentity),
    ...pick('certificateIdentityRegexp', flags.certificateIdentityRegexp),
    ...pick('certificateOidcIssuer', flags.certificateOidcIssuer),
    ...pick('certificateOidcIssuerRegexp', flags.certificateOidcIssuerRegexp),
    ...pick('githubWorkflowRepository', flags.certificateGithubWorkflowRepository),
    ...pick('githubWorkflowRef', flags.certificateGithubWorkflowRef),
    ...pick('githubWorkflowTrigger', flags.certificateGithubWorkflowTrigger),
    ...pick('githubWorkflowSha', flags.certificateGithubWorkflowSha),
    ...pick('githubWorkflowName', flags.certificateGithubWorkflowName),
  };
}
