import type { Audit, Hit } from '../audit.ts';
import { entries, field, jobs, keyNode, scalar, triggers } from '../model.ts';

export const excessivePermissions: Audit = {
  id: 'GH1005',
  slug: 'excessive-permissions',
  defaultSeverity: 'warning',
  summary: 'Over-broad GITHUB_TOKEN permissions (write-all, read-all, workflow-level writes, or none declared)',
  zizmor: 'excessive-permissions',
  appliesTo: ['workflow'],
  run(file) {
    const hits: Hit[] = [];
    const root = file.doc.contents;
    const top = field(file, root, 'permissions');
    const topScalar = scalar(file, top);
    // Workflow-level permissions no job inherits (every job sets its own) only matter to a pedantic reader.
    const allJobsOwn = jobs(file).length > 0 && jobs(file).every((j) => keyNode(file, j.node, 'permissions') !== undefined);
    const topPersona = allJobsOwn ? { persona: 'pedantic' as const } : {};
    if (top === undefined || keyNode(file, root, 'permissions') === undefined) {
      hits.push({ node: root ?? undefined, message: 'no top-level permissions: block, so every job gets the default token permissions', persona: 'pedantic' });
    } else if (topScalar === 'write-all') {
      hits.push({ node: top, message: 'workflow uses write-all permissions', severity: 'error', ...topPersona });
    } else if (topScalar === 'read-all') {
      hits.push({ node: top, message: 'workflow uses read-all permissions', ...topPersona });
    } else {
      // With a single job, workflow-level permissions are that job's permissions (zizmor does the same).
      const single = jobs(file).length <= 1;
      for (const e of entries(file, top)) {
        if (scalar(file, e.value) !== 'write') continue;
        hits.push({
          node: e.keyNode,
          message: `${e.key}: write is granted to every job at the workflow level; grant it on the job that needs it`,
          ...(single || allJobsOwn ? { persona: 'pedantic' as const } : {}),
        });
      }
    }
    const on = triggers(file);
    const onlyWorkflowCall = on.length > 0 && on.every((t) => t === 'workflow_call');
    for (const job of jobs(file)) {
      const perms = field(file, job.node, 'permissions');
      const value = scalar(file, perms);
      if (perms === undefined || keyNode(file, job.node, 'permissions') === undefined) {
        if (top === undefined) {
          hits.push({
            node: job.keyNode,
            message: `job ${job.id} runs with default token permissions (no permissions: block)`,
            // Jobs of a reusable workflow inherit the caller's token; only their nested calls matter.
            ...(job.uses === undefined && onlyWorkflowCall ? { persona: 'pedantic' as const } : {}),
          });
        }
        continue;
      }
      if (value === 'write-all') hits.push({ node: perms, message: `job ${job.id} uses write-all permissions`, severity: 'error' });
      else if (value === 'read-all') hits.push({ node: perms, message: `job ${job.id} uses read-all permissions` });
    }
    return hits;
  },
};
