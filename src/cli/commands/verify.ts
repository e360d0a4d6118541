import { Option } from 'commander';
import type { RegisterCommand } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { json, writeOutput } from '../render/output.ts';
import { renderTable } from '../render/table.ts';
import { addIdentityOptions, identityFromFlags, type IdentityFlags } from './_identity.ts';

interface VerifyOptions extends IdentityFlags {
  readonly key?: string;
  readonly type?: string;
  readonly trustedRoot?: string;
  readonly format: 'json' | 'text';
  readonly output?: string;
}

/** `tollgate verify <image>`: find and verify signatures/attestations in both registry layouts. */
export const registerVerify: RegisterCommand = (program, ctx) => {
  const command = program
    .command('verify')
    .description('verify an image\'s signatures (or attestations with --type) in the cosign and OCI referrers layouts')
    .argument('<image>', 'image reference (resolved to a digest once)')
    .option('--key <file>', 'a PEM public key (key-based signatures)')
    .option('--type <type>', 'verify attestations of this type: slsa, sbom, vuln, openvex, or a predicate URI')
    .option('--trusted-root <file>', 'a Sigstore trusted_root.json (default: the public-good root shipped with @sigstore/tuf)');
  addIdentityOptions(command)
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'text']).default('text'))
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      `
Every signature found is verified and reported with its facts; the image passes when at least one
verifies AND satisfies the identity policy (--key, or --certificate-identity[-regexp] plus
--certificate-oidc-issuer[-regexp] and any GitHub workflow flags). Exit 0 pass, 1 fail.

Examples:
  tollgate verify --key cosign.pub registry.example/app:1.0
  tollgate verify registry.example/app:1.0 --type slsa \\
    --certificate-identity-regexp '^https://github.com/org/' --certificate-oidc-issuer https://token.actions.githubusercontent.com`,
    )
    .action(async (image: string, options: VerifyOptions) => {
      const services = await ctx.services('trust');
      const result = await services.trust.verifyImage({
        image,
        identity: identityFromFlags(options),
        ...(options.key !== undefined ? { keyPath: options.key } : {}),
        ...(options.type !== undefined ? { type: options.type } : {}),
        ...(options.trustedRoot !== undefined ? { trustedRootPath: options.trustedRoot } : {}),
      });
      if (result.verdict !== 'pass') ctx.setExitCode(EXIT.gateFailed);
      const text =
        options.format === 'json'
          ? json(result)
          : `${result.image}: ${result.verdict}\n${renderTable(
              ['layout', 'kind', 'verdict', 'signer', 'why'],
              result.found.map((f) => [
                f.layout,
                f.kind,
                f.verdict,
                f.signer === null ? '-' : f.signer.kind === 'certificate' ? (f.signer.subjectAlternativeName ?? '?') : `key ${f.signer.hint.slice(0, 16)}`,
                f.error?.code ?? f.policy?.reasons.join('; ') ?? '',
              ]),
              ctx.style,
            )}`;
      await writeOutput(text, { output: options.output });
    });
};
