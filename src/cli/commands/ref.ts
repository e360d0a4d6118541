import { Option } from 'commander';
import type { RegisterCommand } from '../context.ts';
import { json, writeOutput } from '../render/output.ts';
import { renderTable } from '../render/table.ts';

interface RefOptions {
  readonly format: 'json' | 'text';
  readonly output?: string;
}

/** `tollgate ref <reference>`: parse and normalise an image reference the way docker does. */
export const registerRef: RegisterCommand = (program, ctx) => {
  program
    .command('ref')
    .description('parse an image reference and print its normalised parts (registry, repository, tag, digest)')
    .argument('<reference>', 'an image reference, e.g. alpine, ghcr.io/org/app:1.2, localhost:5000/x@sha256:…')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'text']).default('json'))
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      `
Normalisation follows docker: no registry means docker.io, a single name on docker.io gains
library/, index.docker.io becomes docker.io, and no tag or digest means the tag "latest"
(reported with "tagImplied": true). An invalid reference fails with IMAGE_REF_INVALID (exit 2).

Examples:
  tollgate ref alpine
  tollgate ref ghcr.io/org/app:1.2@sha256:<64 hex digits>`,
    )
    .action(async (reference: string, options: RefOptions) => {
      const services = await ctx.services('oci');
      const view = services.oci.describeReference(reference);
      const text =
        options.format === 'json'
          ? json(view)
          : renderTable(
              ['field', 'value'],
              Object.entries(view).map(([k, v]) => [k, v === null ? '-' : String(v)]),
              ctx.style,
            );
      await writeOutput(text, { output: options.output });
    });
};
