import type { Audit, Hit } from '../audit.ts';
import { jobs, triggers } from '../model.ts';

const PRIVILEGED = new Set(['pull_request_target', 'workflow_run', 'issue_comment']);
const WRITES = /(>>?|\|\s*tee\b[^\n|;]*)\s*["']?\$\{?(GITHUB_ENV|GITHUB_PATH)\}?["']?|\$env:(GITHUB_ENV|GITHUB_PATH)/i;

export const githubEnv: Audit = {
  id: 'GH1015',
  slug: 'github-env',
  defaultSeverity: 'error',
  summary: 'Privileged workflow writes to GITHUB_ENV / GITHUB_PATH (lets untrusted values set LD_PRELOAD, PATH, …)',
  zizmor: 'github-env',
  appliesTo: ['workflow'],
  run(file) {
    if (!triggers(file).some((t) => PRIVILEGED.has(t))) return [];
    const hits: Hit[] = [];
    for (const job of jobs(file)) {
      for (const step of job.steps) {
        if (step.run === undefined) continue;
        const m = WRITES.exec(step.run.value);
        if (m === null) continue;
        const target = (m[2] ?? m[3] ?? 'GITHUB_ENV').toUpperCase();
        hits.push({ node: step.run.node, message: `write to ${target} in a privileged workflow may allow code execution` });
      }
    }
    return hits;
  },
};
