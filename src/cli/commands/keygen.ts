import { Option } from 'commander';
import type { RegisterCommand } from '../context.ts';
import type { KeyAlgorithm } from '../../trust/index.ts';
import { json, writeOutput } from '../render/output.ts';

interface KeygenOptions {
  readonly outputKeyPrefix: string;
  readonly algorithm: KeyAlgorithm;
  readonly force?: boolean;
  readonly format: 'json' | 'text';
  readonly output?: string;
}

/** `tollgate keygen`: a cosign-compatible key pair (PREFIX.key encrypted, PREFIX.pub). */
export const registerKeygen: RegisterCommand = (program, ctx) => {
  program
    .command('keygen')
    .description('generate a signing key pair in cosign\'s format (encrypted PREFIX.key, PREFIX.pub)')
    .option('--output-key-prefix <prefix>', 'file name prefix for the key pair', 'cosign')
    .addOption(
      new Option('--algorithm <algorithm>', 'key algorithm')
        .choices(['ecdsa-p256', 'ecdsa-p384', 'ed25519', 'rsa-2048', 'rsa-3072', 'rsa-4096'])
        .default('ecdsa-p256'),
    )
    .option('--force', 'overwrite existing files')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'text']).default('text'))
    .option('-o, --output <file>', 'write the result to a file instead of standard output')
    .addHelpText(
      'after',
      `
The private key is encrypted with scrypt + NaCl secretbox exactly as cosign writes it
("ENCRYPTED SIGSTORE PRIVATE KEY"), so cosign and skopeo read it and Tollgate reads cosign's.
The password comes from TOLLGATE_KEY_PASSWORD, else COSIGN_PASSWORD (it may be empty).

Examples:
  COSIGN_PASSWORD=secret tollgate keygen
  COSIGN_PASSWORD=secret tollgate keygen --output-key-prefix release --algorithm ecdsa-p384`,
    )
    .action(async (options: KeygenOptions) => {
      const services = await ctx.services('trust');
      const result = await services.trust.keygen({
        outputKeyPrefix: options.outputKeyPrefix,
        algorithm: options.algorithm,
        ...(options.force === true ? { force: true } : {}),
      });
      const text = options.format === 'json' ? json(result) : `Private key written to ${result.privateKey}\nPublic key written to ${result.publicKey}`;
      await writeOutput(text, { output: options.output });
    });
};
