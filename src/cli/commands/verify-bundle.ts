import { Option, type Command } from 'commander';
import type { RegisterCommand } from '../context.ts';
import type { IdentityPolicy } from '../../trust/index.ts';
import { EXIT } from '../exit-codes.ts';
import { json, writeOutput } from '../render/output.ts';

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

interface VerifyBundleOptions extends IdentityFlags {
  readonly artifact?: string;
  readonly digest?: string;
  readonly trustedRoot?: string;
  readonly key?: string;
  readonly format: 'json' | 'text';
  readonly output?: string;
}

/** `tollgate verify-bundle BUNDLE`: verify a Sigstore bundle offline and report the facts. */
export const registerVerifyBundle: RegisterCommand = (program, ctx) => {
  const command = program
    .command('verify-bundle')
    .description('verify a Sigstore bundle (v0.1–v0.3) offline against a trusted root, then check the signer identity')
    .argument('<bundle>', 'the bundle file (.sigstore.json)')
    .option('--artifact <file>', 'the signed artifact')
    .option('--digest <digest>', 'the artifact digest instead of the file, e.g. sha256:<hex>')
    .option('--trusted-root <file>', 'a Sigstore trusted_root.json (default: the public-good root shipped with @sigstore/tuf)')
    .option('--key <file>', 'a PEM public key, for key-based bundles (no identity flags needed)');
  addIdentityOptions(command)
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'text']).default('json'))
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      `
Verification establishes facts: certificate chain to the trusted root, transparency-log
inclusion (proof or promise), signed timestamps, validity at signing time, signer identity and
certificate extensions, and the signed subject. The identity flags then decide, as cosign does:
a keyless bundle passes only with an identity AND an issuer constraint; anything the certificate
does not state never matches. Exit 0 pass, 1 identity mismatch, 5 did not verify.

Examples:
  tollgate verify-bundle pkg.sigstore.json --artifact pkg.tgz \\
    --certificate-identity https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1.0.0 \\
    --certificate-oidc-issuer https://token.actions.githubusercontent.com
  tollgate verify-bundle att.sigstore.json --digest sha256:<hex> --key cosign.pub`,
    )
    .action(async (bundle: string, options: VerifyBundleOptions) => {
      const services = await ctx.services();
      const report = await services.trust.verifyBundle({
        bundlePath: bundle,
        ...(options.artifact !== undefined ? { artifactPath: options.artifact } : {}),
        ...(options.digest !== undefined ? { digest: options.digest } : {}),
        ...(options.trustedRoot !== undefined ? { trustedRootPath: options.trustedRoot } : {}),
        ...(options.key !== undefined ? { keyPath: options.key } : {}),
        identity: identityFromFlags(options),
      });
      if (report.verdict !== 'pass') ctx.setExitCode(report.error !== null ? 5 : EXIT.gateFailed);
      const text =
        options.format === 'json'
          ? json(report)
          : report.verdict === 'pass'
            ? `Verified OK: ${report.facts?.signer.kind === 'certificate' ? `${report.facts.signer.subjectAlternativeName ?? '?'} (${report.facts.signer.issuer ?? '?'})` : 'public key'}`
            : `Verification failed: ${report.error?.code ?? report.policy?.reasons.join('; ') ?? ''}`;
      await writeOutput(text, { output: options.output });
    });
};
