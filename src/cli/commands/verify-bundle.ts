import { Option } from 'commander';
import type { RegisterCommand } from '../context.ts';
import { EXIT, exitCodeFor } from '../exit-codes.ts';
import { json, writeOutput } from '../render/output.ts';
import { addIdentityOptions, identityFromFlags, type IdentityFlags } from './_identity.ts';

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
      const services = await ctx.services('trust');
      const report = await services.trust.verifyBundle({
        bundlePath: bundle,
        ...(options.artifact !== undefined ? { artifactPath: options.artifact } : {}),
        ...(options.digest !== undefined ? { digest: options.digest } : {}),
        ...(options.trustedRoot !== undefined ? { trustedRootPath: options.trustedRoot } : {}),
        ...(options.key !== undefined ? { keyPath: options.key } : {}),
        identity: identityFromFlags(options),
      });
      // a bundle that does not verify exits by its error's kind (5 verification, 2 invalid input, 6 limit…); a policy no, 1
      if (report.verdict !== 'pass') ctx.setExitCode(report.error !== null ? exitCodeFor(report.error.kind) : EXIT.gateFailed);
      const text =
        options.format === 'json'
          ? json(report)
          : report.verdict === 'pass'
            ? `Verified OK: ${report.facts?.signer.kind === 'certificate' ? `${report.facts.signer.subjectAlternativeName ?? '?'} (${report.facts.signer.issuer ?? '?'})` : 'public key'}`
            : `Verification failed: ${report.error?.code ?? report.policy?.reasons.join('; ') ?? ''}`;
      await writeOutput(text, { output: options.output });
    });
};
