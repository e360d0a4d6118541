import { Option, type Command } from 'commander';
import type { RegisterCommand } from '../context.ts';
import type { SigningRequest } from '../../services/trust.ts';
import { json, writeOutput } from '../render/output.ts';

export interface SigningFlags {
  readonly key?: string;
  readonly identityToken?: string;
  readonly fulcioUrl?: string;
  readonly rekorUrl?: string;
  readonly layout: 'cosign' | 'referrers' | 'both';
}

/** Key or keyless signing flags, shared by sign and attest. */
export function addSigningOptions(command: Command): Command {
  return command
    .option('--key <file>', 'sign with this private key (cosign encrypted format or PEM); password from COSIGN_PASSWORD / TOLLGATE_KEY_PASSWORD')
    .option('--identity-token <jwt>', 'OIDC token for keyless signing (else SIGSTORE_ID_TOKEN, or the GitHub Actions token request)')
    .option('--fulcio-url <url>', 'Fulcio for keyless signing', 'https://fulcio.sigstore.dev')
    .option('--rekor-url <url>', 'Rekor transparency log', 'https://rekor.sigstore.dev')
    .addOption(
      new Option('--layout <layout>', 'where signatures go: cosign tag scheme, OCI 1.1 referrers (Sigstore bundles), or both')
        .choices(['cosign', 'referrers', 'both'])
        .default('both'),
    );
}

export function signingFromFlags(flags: SigningFlags): SigningRequest {
  return {
    layout: flags.layout,
    ...(flags.key !== undefined ? { keyPath: flags.key } : {}),
    ...(flags.identityToken !== undefined ? { identityToken: flags.identityToken } : {}),
    ...(flags.fulcioUrl !== undefined ? { fulcioUrl: flags.fulcioUrl } : {}),
    ...(flags.rekorUrl !== undefined ? { rekorUrl: flags.rekorUrl } : {}),
  };
}

interface SignOptions extends SigningFlags {
  readonly format: 'json' | 'text';
  readonly output?: string;
}

/** `tollgate sign <image>`: sign an image by digest, with a key or keyless. */
export const registerSign: RegisterCommand = (program, ctx) => {
  const command = program
    .command('sign')
    .description('sign an image (by its digest) with a key or keyless (Fulcio + Rekor), in cosign and/or OCI referrers layouts')
    .argument('<image>', 'image reference; the tag is resolved to a digest once and the digest is signed');
  addSigningOptions(command)
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'text']).default('text'))
    .option('-o, --output <file>', 'write the result to a file instead of standard output')
    .addHelpText(
      'after',
      `
Layouts: "cosign" writes sha256-<hex>.sig (simple-signing payload, dev.cosignproject.cosign/signature,
dev.sigstore.cosign/certificate and /bundle annotations), readable by cosign and skopeo;
"referrers" attaches a Sigstore bundle as an OCI 1.1 referrer (with the sha256-<hex> referrers tag
where the registry has no referrers API).

Examples:
  COSIGN_PASSWORD=… tollgate sign --key cosign.key registry.example/app:1.0
  tollgate sign --identity-token "$TOKEN" --layout referrers registry.example/app@sha256:<hex>`,
    )
    .action(async (image: string, options: SignOptions) => {
      const services = await ctx.services('trust');
      const result = await services.trust.signImage(image, signingFromFlags(options));
      const text =
        options.format === 'json'
          ? json(result)
          : [`Signed ${result.image}@${result.digest} (${result.signer})`, ...result.written.map((w) => `  ${w.layout}: ${w.digest}${w.via !== undefined ? ` via ${w.via}` : ''}`)].join('\n');
      await writeOutput(text, { output: options.output });
    });
};
