import type { Audit, Hit } from '../audit.ts';
import { entries, field, items, scalar } from '../model.ts';
import type { Node, WorkflowFile } from '../model.ts';

const SHA = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/i;

function checkInclude(file: WorkflowFile, node: Node, hits: Hit[]): void {
  const bare = scalar(file, node);
  if (bare !== undefined) {
    // `include: 'https://…'` is a remote include; a bare path is local.
    if (/^https?:\/\//i.test(bare)) hits.push({ node, message: `remote include ${bare} is fetched unpinned on every pipeline; vendor it or use include:remote with integrity:` });
    return;
  }
  const remote = scalar(file, field(file, node, 'remote'));
  if (remote !== undefined && field(file, node, 'integrity') === undefined) {
    hits.push({ node: field(file, node, 'remote'), message: `include:remote ${remote} has no integrity: hash; whoever controls that URL controls this pipeline` });
  }
  const project = scalar(file, field(file, node, 'project'));
  if (project !== undefined) {
    const ref = scalar(file, field(file, node, 'ref'));
    if (ref === undefined || !SHA.test(ref)) {
      hits.push({ node: field(file, node, 'ref') ?? field(file, node, 'project'), message: `include:project ${project} ${ref === undefined ? 'follows the default branch' : `is pinned to ${ref}, not a commit SHA`}` });
    }
  }
  const component = scalar(file, field(file, node, 'component'));
  if (component !== undefined) {
    const version = component.includes('@') ? component.slice(component.lastIndexOf('@') + 1) : '';
    if (!SHA.test(version)) hits.push({ node: field(file, node, 'component'), message: `component ${component} is not pinned to a commit SHA (~latest, tags and branches move)` });
  }
}

export const gitlabUnpinnedInclude: Audit = {
  id: 'GL1001',
  slug: 'gitlab-unpinned-include',
  defaultSeverity: 'error',
  summary: 'GitLab include (remote, project, component) not pinned to a commit SHA or integrity hash',
  zizmor: undefined,
  appliesTo: ['gitlab'],
  run(file) {
    const hits: Hit[] = [];
    const include = field(file, file.doc.contents, 'include');
    if (include === undefined) return hits;
    const list = items(file, include);
    if (list.length > 0) for (const n of list) checkInclude(file, n, hits);
    else if (scalar(file, include) !== undefined || entries(file, include).length > 0) checkInclude(file, include, hits);
    return hits;
  },
};
