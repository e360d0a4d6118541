import { implementedIn } from '../../cataloguer.ts';
import { EXECUTABLE_HEAD_PROBE, isCandidate } from './probes.ts';

const implemented = implementedIn(() => import('./catalog.ts'));

/**
 * Executables no package manager owns (copied in by a Dockerfile, downloaded by a script): recorded as
 * `binary` packages so drift and reachability see them. Runs last, after ownership is known; reads
 * only the unowned candidates.
 */
export const elfUnowned = implemented('catalogElfUnowned', {
  id: 'elf-unowned',
  version: 2,
  tags: ['binary'],
  scope: 'squashed',
  needsOwnership: true,

  wants: isCandidate,

  /** Never kept: the head probe keeps the magic number of every executable while the layers stream. */
  wantsContent() {
    return false;
  },

  probes: [EXECUTABLE_HEAD_PROBE],
});

export const cataloguers = [elfUnowned] as const;
