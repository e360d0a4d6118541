import { implementedIn } from '../../cataloguer.ts';
import { goMod } from './declared.ts';
import { GO_BUILDINFO_PROBE, isCandidate } from './probes.ts';

const implemented = implementedIn(() => import('./catalog.ts'));

export const goBinary = implemented('catalogGoBinary', {
  id: 'go-binary',
  version: 3, // 3: the build info is looked for in an ELF's writable data segments only
  tags: ['language', 'installed', 'binary'],
  scope: 'layer',

  wants: isCandidate,

  /** Never kept: the build-info probe takes what is needed while the layers stream. */
  wantsContent() {
    return false;
  },

  probes: [GO_BUILDINFO_PROBE],
});

export const cataloguers = [goBinary, goMod] as const;
