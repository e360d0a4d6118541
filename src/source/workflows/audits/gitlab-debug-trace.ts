import type { Audit, Hit } from '../audit.ts';
import { entries, field, gitlabJobs, scalar } from '../model.ts';

export const gitlabDebugTrace: Audit = {
  id: 'GL1004',
  slug: 'gitlab-debug-trace',
  defaultSeverity: 'error',
  summary: 'CI_DEBUG_TRACE / CI_DEBUG_SERVICES print every variable, secrets included, into the job log',
  zizmor: undefined,
  appliesTo: ['gitlab'],
  run(file) {
    const hits: Hit[] = [];
    for (const owner of [file.doc.contents ?? undefined, ...gitlabJobs(file).map((j) => j.node)]) {
      for (const e of entries(file, field(file, owner, 'variables'))) {
        if (e.key !== 'CI_DEBUG_TRACE' && e.key !== 'CI_DEBUG_SERVICES') continue;
        const v = scalar(file, e.value) ?? scalar(file, field(file, e.value, 'value')) ?? '';
        if (v.trim().toLowerCase() === 'true') hits.push({ node: e.keyNode, message: `${e.key}: "true" writes masked and protected variables to the job log` });
      }
    }
    return hits;
  },
};
