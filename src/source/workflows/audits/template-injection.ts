import type { Audit, Hit, Persona } from '../audit.ts';
import type { Severity } from '../../finding.ts';
import { actionName, entries, field, items, jobs, rangeWithin, rangeOfOffsets, scalar } from '../model.ts';
import type { JobView, Node, StepView, WorkflowFile } from '../model.ts';
import { classifyContext, extractExpressions, valueRefs } from '../expressions.ts';

/** Action inputs that are evaluated as code. */
const CODE_INPUTS: Readonly<Record<string, readonly string[]>> = {
  'actions/github-script': ['script'],
  'azure/cli': ['inlineScript'],
  'azure/powershell': ['inlineScript'],
  'jannekem/run-python-script-action': ['script'],
  'cardinalby/js-eval-action': ['expression'],
  'addnab/docker-run-action': ['run'],
  'appleboy/ssh-action': ['script'],
  'amadevus/pwsh-script': ['script'],
  'mikefarah/yq': ['cmd'],
  'github/codeql-action/init': ['config'],
};

interface Sink {
  readonly node: Node;
  readonly text: string;
  readonly sink: string;
  readonly job: JobView;
  readonly step: StepView;
}

function sinks(file: WorkflowFile): Sink[] {
  const out: Sink[] = [];
  for (const job of jobs(file)) {
    for (const step of job.steps) {
      if (step.run !== undefined) out.push({ node: step.run.node, text: step.run.value, sink: 'run:', job, step });
      if (step.uses === undefined) continue;
      const name = actionName(step.uses.value);
      if (name === undefined) continue;
      const sub = step.uses.value.split('@')[0]?.toLowerCase() ?? '';
      const inputs = CODE_INPUTS[sub] ?? CODE_INPUTS[name] ?? [];
      for (const e of entries(file, step.with)) {
        if (!inputs.some((i) => i.toLowerCase() === e.key.toLowerCase())) continue;
        const text = scalar(file, e.value);
        if (e.value !== undefined && text !== undefined) out.push({ node: e.value, text, sink: `${name} ${e.key}:`, job, step });
      }
    }
  }
  return out;
}

/** True when the nearest `env:` definition of `name` is a literal (no expression): then it is fixed text. */
function envIsLiteral(file: WorkflowFile, sink: Sink, name: string): boolean {
  const scopes = [sink.step.env, field(file, sink.job.node, 'env'), field(file, file.doc.contents, 'env')];
  for (const env of scopes) {
    const e = entries(file, env).find((x) => x.key.toLowerCase() === name);
    if (e !== undefined) return !(scalar(file, e.value) ?? '').includes('${{');
  }
  return false;
}

/** A matrix key is static when every value it can take is a literal without expressions. */
function matrixIsStatic(file: WorkflowFile, job: JobView, key: string): boolean {
  const matrix = field(file, field(file, job.node, 'strategy'), 'matrix');
  if (matrix === undefined || scalar(file, matrix) !== undefined) return false;
  const direct = field(file, matrix, key);
  const values: (string | undefined)[] = [];
  if (direct !== undefined) {
    const s = scalar(file, direct);
    if (s !== undefined) values.push(s);
    else values.push(...items(file, direct).map((n) => scalar(file, n) ?? '[collection]'));
  }
  for (const inc of items(file, field(file, matrix, 'include'))) {
    const v = field(file, inc, key);
    if (v !== undefined) values.push(scalar(file, v));
  }
  if (values.length === 0) return false;
  return values.every((v) => v !== undefined && !v.includes('${{'));
}

function judge(file: WorkflowFile, sink: Sink, path: string): { severity: Severity; persona: Persona } | undefined {
  if (path.startsWith('matrix.')) {
    const key = path.split('.')[1] ?? '';
    return matrixIsStatic(file, sink.job, key) ? { severity: 'info', persona: 'auditor' } : { severity: 'warning', persona: 'regular' };
  }
  if (path.startsWith('env.')) {
    const name = path.split('.')[1] ?? '';
    if (envIsLiteral(file, sink, name)) return undefined;
    return { severity: 'info', persona: 'regular' };
  }
  if (path.startsWith('inputs.')) return { severity: 'info', persona: file.kind === 'action' ? 'regular' : 'pedantic' };
  const taint = classifyContext(path);
  if (taint === 'attacker') return { severity: 'error', persona: 'regular' };
  if (taint === 'fixed') return { severity: 'info', persona: 'pedantic' };
  return { severity: 'info', persona: 'regular' };
}

export const templateInjection: Audit = {
  id: 'GH1004',
  slug: 'template-injection',
  defaultSeverity: 'error',
  summary: 'Attacker-controlled ${{ }} expression expanded into run: or a script input',
  zizmor: 'template-injection',
  appliesTo: ['workflow', 'action'],
  run(file) {
    const hits: Hit[] = [];
    for (const sink of sinks(file)) {
      const start = sink.node.range?.[0] ?? 0;
      const source = file.text.slice(start, sink.node.range?.[1] ?? start);
      let searchFrom = 0;
      for (const expr of extractExpressions(sink.text)) {
        // The k-th `${{` in the source is the k-th expression (block scalars re-indent, so search, don't add offsets).
        const open = source.indexOf('${{', searchFrom);
        searchFrom = open < 0 ? searchFrom : open + 3;
        for (const ref of valueRefs(expr.body)) {
          const verdict = judge(file, sink, ref.path);
          if (verdict === undefined) continue;
          const firstWord = ref.text.split(/[\s.[]/)[0] ?? ref.text;
          const at = open < 0 ? -1 : source.indexOf(firstWord, open);
          const range = at < 0 ? rangeWithin(file, sink.node, expr.raw) : rangeOfOffsets(file, start + at, start + at + ref.text.length);
          hits.push({
            range,
            ignoreLines: [file.lines.linePos(start).line],
            severity: verdict.severity,
            persona: verdict.persona,
            message: `${ref.text} ${verdict.severity === 'error' ? 'is attacker-controlled and' : 'may be attacker-controlled and'} is expanded into ${sink.sink}; pass it through env: and quote it instead`,
          });
        }
      }
    }
    return hits;
  },
};
