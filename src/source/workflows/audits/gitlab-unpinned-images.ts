import type { Audit, Hit } from '../audit.ts';
import { field, gitlabJobs, items, scalar } from '../model.ts';
import type { Node, WorkflowFile } from '../model.ts';

function check(file: WorkflowFile, holder: Node | undefined, hits: Hit[]): void {
  const image = field(file, holder, 'image');
  const services = items(file, field(file, holder, 'services'));
  for (const n of [image, ...services]) {
    if (n === undefined) continue;
    const nameNode = scalar(file, n) !== undefined ? n : field(file, n, 'name');
    const name = scalar(file, nameNode)?.trim();
    if (name === undefined || nameNode === undefined || name === '' || name.includes('$')) continue;
    if (/@sha256:[0-9a-f]{64}$/i.test(name)) continue;
    const last = name.split('/').pop() ?? '';
    const floating = !last.includes(':') || last.endsWith(':latest');
    hits.push({
      node: nameNode,
      message: floating ? `image ${name} is unpinned (no tag, or :latest)` : `image ${name} is pinned by tag, not by sha256 digest`,
      ...(floating ? {} : { severity: 'warning' as const }),
    });
  }
}

export const gitlabUnpinnedImages: Audit = {
  id: 'GL1002',
  slug: 'gitlab-unpinned-images',
  defaultSeverity: 'error',
  summary: 'GitLab job or service image not pinned by digest',
  zizmor: undefined,
  appliesTo: ['gitlab'],
  run(file) {
    const hits: Hit[] = [];
    check(file, file.doc.contents ?? undefined, hits);
    for (const job of gitlabJobs(file)) check(file, job.node, hits);
    return hits;
  },
};
