import type { Audit, Hit } from '../audit.ts';
import { actionName, field, jobs, scalar, triggers } from '../model.ts';
import { contextsIn, extractExpressions } from '../expressions.ts';

const PRIVILEGED = new Set(['pull_request_target', 'workflow_run', 'issue_comment']);
const HEAD_CONTEXTS = [
  /^github\.event\.pull_request\.head\.(sha|ref|repo\.full_name)$/,
  /^github\.head_ref$/,
  /^github\.event\.workflow_run\.(head_sha|head_branch|head_repository\.full_name)$/,
  /^github\.event\.workflow_run\.pull_requests.*\.head\.(sha|ref)$/,
  /^github\.event\.issue\.pull_request(\..*)?$/,
  /^steps\.[\w-]+\.outputs\.(head_?sha|head_?ref|pr_?ref|sha|ref)$/,
];

function readsHead(text: string): boolean {
  if (/refs\/pull\/.*\/(merge|head)/.test(text)) return true;
  return extractExpressions(text).some((e) => contextsIn(e.body).some((c) => HEAD_CONTEXTS.some((re) => re.test(c))));
}

const SHELL_CHECKOUT = /\b(gh\s+pr\s+checkout|git\s+(fetch|checkout|switch|pull)\b)/;

export const untrustedCheckout: Audit = {
  id: 'GH1003',
  slug: 'untrusted-checkout',
  defaultSeverity: 'error',
  summary: 'Privileged workflow (pull_request_target, workflow_run, issue_comment) checks out the untrusted pull-request head',
  // Sharper than zizmor's dangerous-triggers (which flags the trigger itself): see docs/rules/GH1003.md.
  zizmor: undefined,
  appliesTo: ['workflow'],
  run(file) {
    const on = triggers(file).filter((t) => PRIVILEGED.has(t));
    if (on.length === 0) return [];
    const hits: Hit[] = [];
    for (const job of jobs(file)) {
      for (const step of job.steps) {
        if (step.uses !== undefined && actionName(step.uses.value) === 'actions/checkout') {
          const ref = scalar(file, field(file, step.with, 'ref')) ?? '';
          const repo = scalar(file, field(file, step.with, 'repository')) ?? '';
          if (readsHead(ref) || readsHead(repo)) {
            hits.push({ node: field(file, step.with, 'ref') ?? field(file, step.with, 'repository'), message: `actions/checkout of the pull-request head in a ${on.join('/')} workflow runs attacker code with privileges` });
          }
        }
        if (step.run !== undefined && SHELL_CHECKOUT.test(step.run.value) && (readsHead(step.run.value) || /gh\s+pr\s+checkout/.test(step.run.value))) {
          hits.push({ node: step.run.node, message: `run: checks out the pull-request head in a ${on.join('/')} workflow` });
        }
      }
    }
    return hits;
  },
};
