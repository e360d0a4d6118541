import type { Audit } from './audit.ts';
import { artipacked } from './audits/artipacked.ts';
import { botConditions } from './audits/bot-conditions.ts';
import { cachePoisoning } from './audits/cache-poisoning.ts';
import { dangerousTriggers } from './audits/dangerous-triggers.ts';
import { excessivePermissions } from './audits/excessive-permissions.ts';
import { githubEnv } from './audits/github-env.ts';
import { gitlabDebugTrace } from './audits/gitlab-debug-trace.ts';
import { gitlabScriptRisks } from './audits/gitlab-script-risks.ts';
import { gitlabUnpinnedImages } from './audits/gitlab-unpinned-images.ts';
import { gitlabUnpinnedInclude } from './audits/gitlab-unpinned-include.ts';
import { hardcodedContainerCredentials } from './audits/hardcoded-container-credentials.ts';
import { insecureCommands } from './audits/insecure-commands.ts';
import { overprovisionedSecrets } from './audits/overprovisioned-secrets.ts';
import { remoteScriptPipe } from './audits/remote-script-pipe.ts';
import { secretsInherit } from './audits/secrets-inherit.ts';
import { selfHostedRunner } from './audits/self-hosted-runner.ts';
import { templateInjection } from './audits/template-injection.ts';
import { unneededContentsWrite } from './audits/unneeded-contents-write.ts';
import { unpinnedImages } from './audits/unpinned-images.ts';
import { unpinnedUses } from './audits/unpinned-uses.ts';
import { unredactedSecrets } from './audits/unredacted-secrets.ts';
import { untrustedCheckout } from './audits/untrusted-checkout.ts';

/** The one list of CI audits (one file each under audits/): GitHub Actions GH####, GitLab CI GL####, in id order. */
export const AUDITS: readonly Audit[] = Object.freeze([
  unpinnedUses,
  dangerousTriggers,
  untrustedCheckout,
  templateInjection,
  excessivePermissions,
  artipacked,
  remoteScriptPipe,
  selfHostedRunner,
  cachePoisoning,
  insecureCommands,
  hardcodedContainerCredentials,
  secretsInherit,
  unpinnedImages,
  botConditions,
  githubEnv,
  overprovisionedSecrets,
  unredactedSecrets,
  unneededContentsWrite,
  gitlabUnpinnedInclude,
  gitlabUnpinnedImages,
  gitlabScriptRisks,
  gitlabDebugTrace,
]);
