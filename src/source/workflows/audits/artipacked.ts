import type { Audit, Hit } from '../audit.ts';
import { actionName, field, jobs, scalar } from '../model.ts';

export const artipacked: Audit = {
  id: 'GH1006',
  slug: 'artipacked',
  defaultSeverity: 'warning',
  summary: 'actions/checkout leaves the token in .git/config (no persist-credentials: false)',
  zizmor: 'artipacked',
  appliesTo: ['workflow', 'action'],
  run(file) {
    const hits: Hit[] = [];
    for (const job of jobs(file)) {
      const uploads = job.steps.some((s) => s.uses !== undefined && actionName(s.uses.value) === 'actions/upload-artifact');
      for (const step of job.steps) {
        // Exactly actions/checkout: obfuscated spellings (actions/checkout/./) are obfuscation's business.
        if (step.uses === undefined || step.uses.value.split('@')[0]?.trim().toLowerCase() !== 'actions/checkout') continue;
        const withScalar = scalar(file, step.with);
        if (withScalar !== undefined) {
          // `with: ${{ fromJSON(…) }}`: cannot tell statically.
          hits.push({ node: step.with, message: 'checkout may not set persist-credentials: false (with: is an expression)', severity: 'info', persona: 'pedantic' });
          continue;
        }
        const value = scalar(file, field(file, step.with, 'persist-credentials'))?.trim().toLowerCase();
        if (value === 'false') continue;
        const site = step.site;
        if (value === undefined || value.includes('${{')) {
          hits.push(
            uploads
              ? { node: site, message: 'checkout persists the token and the job uploads artifacts: the token can leak in the artifact', severity: 'error' }
              : { node: site, message: 'checkout does not set persist-credentials: false; later steps can read the token from .git/config' },
          );
        } else {
          hits.push({ node: site, message: 'checkout explicitly persists credentials (persist-credentials: true)', persona: 'auditor' });
        }
      }
    }
    return hits;
  },
};
