import type { Audit, Hit } from '../audit.ts';
import { entries, field, items, jobs, keyNode, scalar, triggers } from '../model.ts';
import type { Node, WorkflowFile } from '../model.ts';

/** Triggers an outsider can fire on a public repository. */
const PUBLIC_TRIGGERS = new Set([
  'pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment',
  'issue_comment', 'issues', 'discussion', 'discussion_comment', 'fork', 'watch', 'workflow_run', 'check_run', 'check_suite',
]);

function labelsOf(file: WorkflowFile, runsOn: Node | undefined): { labels: string[]; group: boolean } {
  const s = scalar(file, runsOn);
  if (s !== undefined) return { labels: [s], group: false };
  const list = items(file, runsOn);
  if (list.length > 0) return { labels: list.map((n) => scalar(file, n) ?? ''), group: false };
  const group = field(file, runsOn, 'group') !== undefined;
  const labels = field(file, runsOn, 'labels');
  const ls = scalar(file, labels);
  return { labels: ls !== undefined ? [ls] : items(file, labels).map((n) => scalar(file, n) ?? ''), group };
}

/** Values a `${{ matrix.k }}` label can take, minus simple `exclude:` entries. */
function matrixValues(file: WorkflowFile, job: Node, key: string): string[] {
  const matrix = field(file, field(file, job, 'strategy'), 'matrix');
  const values = items(file, field(file, matrix, key)).flatMap((n) => {
    const s = scalar(file, n);
    return s !== undefined ? [s] : items(file, n).map((m) => scalar(file, m) ?? '');
  });
  const excluded = items(file, field(file, matrix, 'exclude'))
    .filter((n) => entries(file, n).length === 1)
    .map((n) => scalar(file, field(file, n, key)))
    .filter((s): s is string => s !== undefined);
  const included = items(file, field(file, matrix, 'include')).map((n) => scalar(file, field(file, n, key))).filter((s): s is string => s !== undefined);
  return [...values.filter((v) => !excluded.includes(v)), ...included];
}

export const selfHostedRunner: Audit = {
  id: 'GH1008',
  slug: 'self-hosted-runner',
  defaultSeverity: 'warning',
  summary: 'Job runs on a self-hosted runner (an error when the workflow has triggers outsiders can fire)',
  zizmor: 'self-hosted-runner',
  appliesTo: ['workflow'],
  run(file) {
    const publicOn = triggers(file).filter((t) => PUBLIC_TRIGGERS.has(t));
    const hits: Hit[] = [];
    for (const job of jobs(file)) {
      const runsOn = field(file, job.node, 'runs-on');
      if (runsOn === undefined) continue;
      const { labels, group } = labelsOf(file, runsOn);
      const expanded = labels.flatMap((l) => {
        const m = /^\$\{\{\s*matrix\.([\w-]+)\s*\}\}$/.exec(l.trim());
        return m?.[1] !== undefined ? matrixValues(file, job.node, m[1]) : [l];
      });
      const selfHosted = group || expanded.some((l) => l.toLowerCase() === 'self-hosted');
      if (!selfHosted) continue;
      const at = keyNode(file, job.node, 'runs-on') ?? runsOn;
      hits.push(
        publicOn.length > 0
          ? { node: at, severity: 'error', message: `job ${job.id} runs on a self-hosted runner and the workflow runs on ${publicOn.join(', ')}: outsiders can run code on your machine` }
          : { node: at, message: `job ${job.id} runs on a self-hosted runner`, persona: 'auditor' },
      );
    }
    return hits;
  },
};
