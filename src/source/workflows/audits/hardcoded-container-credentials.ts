import type { Audit, Hit } from '../audit.ts';
import { entries, field, jobs, scalar } from '../model.ts';
import type { Node, WorkflowFile } from '../model.ts';

function check(file: WorkflowFile, container: Node | undefined, where: string, hits: Hit[]): void {
  const password = field(file, field(file, container, 'credentials'), 'password');
  const value = scalar(file, password);
  if (password === undefined || value === undefined) return;
  if (/^\s*\$\{\{\s*secrets\./.test(value)) return;
  hits.push({ node: password, message: `${where} has a hard-coded registry password; use \${{ secrets.… }}` });
}

export const hardcodedContainerCredentials: Audit = {
  id: 'GH1011',
  slug: 'hardcoded-container-credentials',
  defaultSeverity: 'error',
  summary: 'Container or service registry password written in the workflow',
  zizmor: 'hardcoded-container-credentials',
  appliesTo: ['workflow'],
  run(file) {
    const hits: Hit[] = [];
    for (const job of jobs(file)) {
      check(file, field(file, job.node, 'container'), `job ${job.id} container`, hits);
      for (const svc of entries(file, field(file, job.node, 'services'))) check(file, svc.value, `service ${svc.key}`, hits);
    }
    return hits;
  },
};
