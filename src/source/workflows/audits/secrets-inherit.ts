import type { Audit, Hit } from '../audit.ts';
import { field, jobs, scalar } from '../model.ts';

export const secretsInherit: Audit = {
  id: 'GH1012',
  slug: 'secrets-inherit',
  defaultSeverity: 'warning',
  summary: 'Reusable workflow called with secrets: inherit (passes every secret)',
  zizmor: 'secrets-inherit',
  appliesTo: ['workflow'],
  run(file) {
    const hits: Hit[] = [];
    for (const job of jobs(file)) {
      if (job.uses === undefined) continue;
      const secrets = field(file, job.node, 'secrets');
      if (scalar(file, secrets) === 'inherit') hits.push({ node: job.uses.node, message: `job ${job.id} passes every secret to ${job.uses.value} (secrets: inherit)` });
    }
    return hits;
  },
};
