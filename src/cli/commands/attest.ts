import { Option } from 'commander';
import { AppError } from '../../core/errors.ts';
import type { RegisterCommand } from '../context.ts';
import { json, writeOutput } from '../render/output.ts';
import { addSigningOptions, signingFromFlags, type SigningFlags } from './sign.ts';

interface AttestOptions extends SigningFlags {
  readonly type?: string;
  readonly predicate?: string;
  readonly subject?: string;
  readonly subjectName?: string;
  readonly builderId?: string;
  readonly buildType?: string;
  readonly sourceRepo?: string;
  readonly sourceRef?: string;
  readonly sourceCommit?: string;
  readonly buildCommand?: string;
  readonly format: 'json' | 'text';
  readonly output?: string;
}

/** `tollgate attest <image> --type … --predicate FILE` and `tollgate attest provenance --subject …`. */
export const registerAttest: RegisterCommand = (program, ctx) => {
  const command = program
    .command('attest')
    .description('sign an in-toto attestation about an image (slsa, sbom, vuln, openvex), or build and sign SLSA v1 provenance from CI')
    .argument('<image|provenance>', 'the image to attest, or the word "provenance" to build provenance (then give --subject)')
    .option('--type <type>', 'predicate type: slsa, sbom (CycloneDX), vuln (cosign vuln), openvex, or a URI')
    .option('--predicate <file>', 'the predicate JSON file')
    .option('--subject <image|digest>', 'provenance: the image (attached in the registry) or sha256:<hex> (signed document to --output)')
    .option('--subject-name <name>', 'provenance for a digest: the subject name')
    .option('--builder-id <uri>', 'provenance: builder id (default from the CI environment)')
    .option('--build-type <uri>', 'provenance: build type (default from the CI environment)')
    .option('--source-repo <url>', 'provenance: source repository (default from the CI environment)')
    .option('--source-ref <ref>', 'provenance: git ref, e.g. refs/heads/main')
    .option('--source-commit <sha>', 'provenance: git commit')
    .option('--build-command <command>', 'provenance: the build command');
  addSigningOptions(command)
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'text']).default('text'))
    .option('-o, --output <file>', 'write the result to a file instead of standard output')
    .addHelpText(
      'after',
      `
Provenance is SLSA v1 (buildDefinition/runDetails): in GitHub Actions or GitLab CI the source
repository, ref and commit, builder id, build type and invocation come from the CI variables;
elsewhere give them as flags.

Examples:
  tollgate attest registry.example/app:1.0 --type sbom --predicate sbom.cdx.json --key cosign.key
  tollgate attest provenance --subject registry.example/app:1.0 --build-command "podman build ."
  tollgate attest provenance --subject sha256:<hex> --subject-name app.tar --key cosign.key -o prov.json`,
    )
    .action(async (what: string, options: AttestOptions) => {
      const services = await ctx.services('trust');
      const signing = signingFromFlags(options);
      let result: unknown;
      if (what === 'provenance') {
        if (options.subject === undefined) throw new AppError('USAGE', 'attest provenance needs --subject IMAGE or --subject sha256:<hex>');
        result = await services.trust.attestProvenance({
          ...signing,
          subject: options.subject,
          ...(options.subjectName !== undefined ? { subjectName: options.subjectName } : {}),
          flags: {
            ...(options.builderId !== undefined ? { builderId: options.builderId } : {}),
            ...(options.buildType !== undefined ? { buildType: options.buildType } : {}),
            ...(options.sourceRepo !== undefined ? { sourceRepository: options.sourceRepo } : {}),
            ...(options.sourceRef !== undefined ? { sourceRef: options.sourceRef } : {}),
            ...(options.sourceCommit !== undefined ? { sourceCommit: options.sourceCommit } : {}),
            ...(options.buildCommand !== undefined ? { buildCommand: options.buildCommand } : {}),
          },
        });
      } else {
        if (options.type === undefined || options.predicate === undefined) {
          throw new AppError('USAGE', 'attest <image> needs --type and --predicate');
        }
        result = await services.trust.attestImage(what, options.type, options.predicate, signing);
      }
      await writeOutput(options.format === 'json' || what === 'provenance' ? json(result) : summary(result), { output: options.output });
    });
};

function summary(result: unknown): string {
  const r = result as { image: string; digest: string; signer: string; written: { layout: string; digest: string; via?: string }[] };
  return [`Attested ${r.image}@${r.digest} (${r.signer})`, ...r.written.map((w) => `  ${w.layout}: ${w.digest}${w.via !== undefined ? ` via ${w.via}` : ''}`)].join('\n');
}
