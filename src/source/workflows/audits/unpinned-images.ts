import type { Audit, Hit } from '../audit.ts';
import { entries, field, items, jobs, parseUses, rangeWithin, scalar } from '../model.ts';
import type { JobView, Node, WorkflowFile } from '../model.ts';
import { extractExpressions, valueRefs } from '../expressions.ts';

type Verdict = 'pinned' | 'unpinned' | 'latest' | 'tag';

function verdict(image: string): Verdict {
  if (/@sha256:/i.test(image)) return 'pinned';
  const last = image.split('/').pop() ?? '';
  if (!last.includes(':')) return 'unpinned';
  return last.endsWith(':latest') ? 'latest' : 'tag';
}

const MESSAGES: Record<Exclude<Verdict, 'pinned'>, string> = {
  unpinned: 'is unpinned (no tag or digest)',
  latest: "uses the floating 'latest' tag",
  tag: 'is not pinned to a sha256 digest',
};

function report(file: WorkflowFile, node: Node, image: string, needle: string, hits: Hit[]): void {
  const v = verdict(image);
  if (v === 'pinned') return;
  hits.push({ range: rangeWithin(file, node, needle), message: `container image ${image} ${MESSAGES[v]}`, ...(v === 'tag' ? { persona: 'pedantic' as const } : {}) });
}

/** Values `matrix.<key>` takes (direct lists and include entries). */
function matrixValues(file: WorkflowFile, job: JobView, key: string): string[] {
  const matrix = field(file, field(file, job.node, 'strategy'), 'matrix');
  const direct = items(file, field(file, matrix, key)).map((n) => scalar(file, n));
  const included = items(file, field(file, matrix, 'include')).map((n) => scalar(file, field(file, n, key)));
  return [...direct, ...included].filter((s): s is string => s !== undefined);
}

function check(file: WorkflowFile, job: JobView, container: Node | undefined, hits: Hit[]): void {
  const imageNode = scalar(file, container) !== undefined ? container : field(file, container, 'image');
  const image = scalar(file, imageNode)?.trim();
  if (image === undefined || image === '' || imageNode === undefined) return;
  const exprs = extractExpressions(image);
  if (exprs.length === 0) {
    report(file, imageNode, image, image, hits);
    return;
  }
  for (const expr of exprs) {
    const matrix = /^matrix\.([\w-]+)$/.exec(expr.body);
    if (matrix?.[1] !== undefined) {
      for (const value of matrixValues(file, job, matrix[1])) report(file, imageNode, value, image, hits);
      continue;
    }
    // `a && 'img:1' || ''`: judge each literal operand; each context operand may be anything.
    for (const operand of expr.body.split(/\|\||&&/).map((o) => o.trim())) {
      if (/==|!=/.test(operand)) continue;
      const literal = /^'((?:[^']|'')*)'$/.exec(operand);
      if (literal !== null) {
        if ((literal[1] ?? '') !== '') report(file, imageNode, literal[1] ?? '', operand, hits);
        continue;
      }
      for (const ref of valueRefs(operand)) {
        hits.push({ range: rangeWithin(file, imageNode, ref.text), message: `container image comes from ${ref.text} and may be unpinned`, persona: 'pedantic' });
      }
    }
  }
}

export const unpinnedImages: Audit = {
  id: 'GH1013',
  slug: 'unpinned-images',
  defaultSeverity: 'error',
  summary: 'Job container, service or docker:// step image not pinned by digest',
  zizmor: 'unpinned-images',
  appliesTo: ['workflow', 'action'],
  run(file) {
    const hits: Hit[] = [];
    for (const job of jobs(file)) {
      check(file, job, field(file, job.node, 'container'), hits);
      for (const svc of entries(file, field(file, job.node, 'services'))) check(file, job, svc.value, hits);
      for (const step of job.steps) {
        const u = step.uses === undefined ? undefined : parseUses(step.uses.value);
        if (u?.kind === 'docker' && step.uses !== undefined) report(file, step.uses.node, u.image, u.image, hits);
      }
    }
    if (file.kind === 'action') {
      const image = scalar(file, field(file, field(file, file.doc.contents, 'runs'), 'image'));
      const node = field(file, field(file, file.doc.contents, 'runs'), 'image');
      if (image?.startsWith('docker://') && node !== undefined) report(file, node, image.slice(9), image.slice(9), hits);
    }
    return hits;
  },
};
