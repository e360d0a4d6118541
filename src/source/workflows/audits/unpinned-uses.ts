import type { Audit, Hit } from '../audit.ts';
import { FULL_SHA, jobs, parseUses, rangeWithin } from '../model.ts';
import type { Node, WorkflowFile } from '../model.ts';

/** `owner/repo` or `owner/*` patterns from the options. */
function allowedByPolicy(owner: string, repo: string, patterns: readonly string[]): boolean {
  const name = `${owner}/${repo}`.toLowerCase();
  return patterns.some((p) => {
    const q = p.toLowerCase();
    return q.endsWith('/*') ? name.startsWith(q.slice(0, -1)) : q === name;
  });
}

function checkUses(file: WorkflowFile, raw: string, site: Node, patterns: readonly string[]): Hit | undefined {
  const value = raw.trim();
  const node = undefined;
  const range = rangeWithin(file, site, value);
  const u = parseUses(value);
  // Local actions are pinned by the checkout itself; docker:// images are unpinned-images' job.
  if (u === undefined || u.kind === 'local' || u.kind === 'docker') return undefined;
  if (value.includes('${{') || value.startsWith('$')) return undefined; // not statically known
  if (u.ref === undefined || u.ref === '') return { node, range, message: `${value} is not pinned to a tag, branch or commit` };
  if (FULL_SHA.test(u.ref)) return undefined;
  if (allowedByPolicy(u.owner, u.repo, patterns)) return undefined;
  return { node, range, message: `${value} is not pinned to a full 40-character commit SHA` };
}

export const unpinnedUses: Audit = {
  id: 'GH1001',
  slug: 'unpinned-uses',
  defaultSeverity: 'error',
  summary: 'Action or reusable workflow not pinned to a full commit SHA',
  zizmor: 'unpinned-uses',
  appliesTo: ['workflow', 'action'],
  run(file: WorkflowFile, options) {
    const hits: Hit[] = [];
    for (const job of jobs(file)) {
      if (job.uses !== undefined) {
        const hit = checkUses(file, job.uses.value, job.uses.node, options.refPinAllowed);
        if (hit !== undefined) hits.push(hit);
      }
      for (const step of job.steps) {
        if (step.uses === undefined) continue;
        const hit = checkUses(file, step.uses.value, step.uses.node, options.refPinAllowed);
        if (hit !== undefined) hits.push(hit);
      }
    }
    return hits;
  },
};
