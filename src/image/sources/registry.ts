import { AppError } from '../../core/errors.ts';
import type { ImageLimits } from '../limits.ts';
import type { ImageSource, SourceKind } from '../types.ts';
import { openDirSource } from './dir-source.ts';
import { openDockerArchiveSource } from './docker-archive.ts';
import { openOciArchiveSource, openOciLayoutSource } from './oci-layout.ts';
import { parseSource, type ParsedSource } from './parse-source.ts';
import { openRegistrySource, type RegistrySourceDeps } from './registry-source.ts';

export interface SourceDeps {
  readonly registry?: RegistrySourceDeps;
}

type Opener = (input: string, parsed: ParsedSource, limits: ImageLimits, deps: SourceDeps) => ImageSource;

/** The one table of source transports. */
export const SOURCE_OPENERS: Readonly<Record<SourceKind, Opener>> = Object.freeze({
  dir: (input, parsed) => openDirSource(input, parsed.path as string),
  oci: (input, parsed, limits) => openOciLayoutSource(input, parsed.path as string, parsed.selector, limits),
  'oci-archive': (input, parsed, limits) => openOciArchiveSource(input, parsed.path as string, parsed.selector, limits),
  'docker-archive': (input, parsed, limits) => openDockerArchiveSource(input, parsed.path as string, parsed.selector, limits),
  registry: (input, parsed, limits, deps) => {
    if (deps.registry === undefined) throw new AppError('SOURCE_INVALID', 'registry sources need registry access', { details: { source: input } });
    return openRegistrySource(input, parsed.reference as string, limits, deps.registry);
  },
});

/** Opens a source string (see parseSource for the grammar). */
export function openImageSource(input: string, limits: ImageLimits, deps: SourceDeps = {}): ImageSource {
  const parsed = parseSource(input);
  return SOURCE_OPENERS[parsed.kind](input, parsed, limits, deps);
}
