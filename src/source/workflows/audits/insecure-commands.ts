import type { Audit, Hit } from '../audit.ts';
import { entries, field, items, jobs, keyNode, scalar } from '../model.ts';
import type { Node, WorkflowFile } from '../model.ts';

const NAME = 'ACTIONS_ALLOW_UNSECURE_COMMANDS';
const enables = (v: string | undefined): boolean => {
  const s = v?.trim().toLowerCase() ?? '';
  return s !== 'false' && s !== '0' && s !== '';
};

function check(file: WorkflowFile, owner: Node | undefined, matrix: Node | undefined, hits: Hit[]): void {
  const env = field(file, owner, 'env');
  const at = keyNode(file, owner, 'env');
  const message = `${NAME} re-enables ::set-env/::add-path, which let log output inject environment variables`;
  if (entries(file, env).some((e) => e.key === NAME && enables(scalar(file, e.value)))) {
    hits.push({ node: at, message });
    return;
  }
  // `env: ${{ matrix.env }}` where a matrix entry sets the variable.
  const expr = scalar(file, env);
  const m = expr === undefined ? null : /\$\{\{\s*matrix\.([\w-]+)\s*\}\}/.exec(expr);
  if (m?.[1] === undefined) return;
  const candidates = [...items(file, field(file, matrix, m[1])), ...items(file, field(file, matrix, 'include')).map((n) => field(file, n, m[1] ?? '')).filter((n): n is Node => n !== undefined)];
  if (candidates.some((c) => entries(file, c).some((e) => e.key === NAME && enables(scalar(file, e.value))))) hits.push({ node: env, message });
}

export const insecureCommands: Audit = {
  id: 'GH1010',
  slug: 'insecure-commands',
  defaultSeverity: 'error',
  summary: 'ACTIONS_ALLOW_UNSECURE_COMMANDS enables the deprecated set-env/add-path workflow commands',
  zizmor: 'insecure-commands',
  appliesTo: ['workflow', 'action'],
  run(file) {
    const hits: Hit[] = [];
    check(file, file.doc.contents ?? undefined, undefined, hits);
    for (const job of jobs(file)) {
      const matrix = field(file, field(file, job.node, 'strategy'), 'matrix');
      if (job.id !== '(action)') check(file, job.node, matrix, hits);
      for (const step of job.steps) check(file, step.node, matrix, hits);
    }
    return hits;
  },
};
