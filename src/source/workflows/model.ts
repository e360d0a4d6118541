import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument } from 'yaml';
import type { Document, Node as YamlNode, Pair, YAMLMap, YAMLSeq } from 'yaml';
import type { SourceRange } from '../finding.ts';

/**
 * A parsed GitHub Actions file (workflow or action metadata) that keeps source positions.
 * Audits walk yaml nodes through the helpers below (which resolve anchors/aliases), so every
 * finding can point at the exact line the user must change.
 */
export type WorkflowKind = 'workflow' | 'action' | 'gitlab';

export interface WorkflowFile {
  readonly path: string;
  readonly kind: WorkflowKind;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

export type Node = YamlNode;

export interface ParseIssue {
  readonly message: string;
  readonly line: number;
}

/** Parses YAML keeping ranges. Returns the YAML errors instead of throwing; callers record them. */
export function parseWorkflowText(path: string, text: string, kind: WorkflowKind): { file: WorkflowFile; errors: readonly ParseIssue[] } {
  const lines = new LineCounter();
  const options = { lineCounter: lines, uniqueKeys: false, prettyErrors: false } as const;
  // GitLab CI/CD component templates are two documents (`spec:` header, `---`, then the jobs): lint the last.
  const all = kind === 'gitlab' && /^---\s*$/m.test(text) ? parseAllDocuments(text, options) : undefined;
  const last = Array.isArray(all) ? all[all.length - 1] : undefined;
  const doc = last ?? parseDocument(text, options);
  const errors = doc.errors.map((e) => ({ message: e.message, line: lines.linePos(e.pos[0]).line }));
  return { file: { path, kind, text, doc, lines }, errors };
}

/** A workflow file name (…/.github/workflows/x.yml) or an action metadata file (action.yml). */
export function kindForPath(path: string): WorkflowKind | undefined {
  const base = path.split('/').pop() ?? '';
  if (base === 'action.yml' || base === 'action.yaml') return 'action';
  if (base === '.gitlab-ci.yml' || base === '.gitlab-ci.yaml' || /(^|\/)\.gitlab\/ci\/.*\.ya?ml$/.test(path)) return 'gitlab';
  if (/\.ya?ml$/.test(base)) return 'workflow';
  return undefined;
}

export function deref(file: WorkflowFile, node: unknown): Node | undefined {
  let current: unknown = node;
  for (let i = 0; i < 16 && isAlias(current); i++) current = current.resolve(file.doc);
  if (current === null || current === undefined) return undefined;
  return current as Node;
}

export function asMap(file: WorkflowFile, node: unknown): YAMLMap | undefined {
  const n = deref(file, node);
  return isMap(n) ? n : undefined;
}

export function asSeq(file: WorkflowFile, node: unknown): YAMLSeq | undefined {
  const n = deref(file, node);
  return isSeq(n) ? n : undefined;
}

export function keyName(file: WorkflowFile, pair: Pair): string | undefined {
  const k = deref(file, pair.key);
  if (isScalar(k)) return String(k.value);
  return undefined;
}

/** The value node under `key` in a mapping (aliases resolved, merge keys `<<` honoured). */
export function field(file: WorkflowFile, node: unknown, key: string): Node | undefined {
  const map = asMap(file, node);
  if (map === undefined) return undefined;
  let merged: Node | undefined;
  for (const pair of map.items) {
    const name = keyName(file, pair);
    if (name === key) return deref(file, pair.value);
    if (name === '<<' && merged === undefined) merged = field(file, pair.value, key);
  }
  return merged;
}

/** The key node of `key` (for pointing at `permissions:` itself). */
export function keyNode(file: WorkflowFile, node: unknown, key: string): Node | undefined {
  const map = asMap(file, node);
  for (const pair of map?.items ?? []) if (keyName(file, pair) === key) return deref(file, pair.key);
  return undefined;
}

export function entries(file: WorkflowFile, node: unknown): readonly { key: string; keyNode: Node; value: Node | undefined }[] {
  const map = asMap(file, node);
  if (map === undefined) return [];
  const out: { key: string; keyNode: Node; value: Node | undefined }[] = [];
  for (const pair of map.items) {
    const key = keyName(file, pair);
    if (key === undefined) continue;
    if (key === '<<') {
      const base = asMap(file, pair.value);
      if (base !== undefined) out.push(...entries(file, base).filter((e) => !map.items.some((p) => keyName(file, p) === e.key)));
      continue;
    }
    out.push({ key, keyNode: pair.key as Node, value: deref(file, pair.value) });
  }
  return out;
}

export function items(file: WorkflowFile, node: unknown): readonly Node[] {
  const seq = asSeq(file, node);
  if (seq === undefined) return [];
  const out: Node[] = [];
  for (const item of seq.items) {
    const n = deref(file, item);
    if (n !== undefined) out.push(n);
  }
  return out;
}

/** `- parallel: [steps…]` (GitHub's parallel steps) contributes its inner steps. */
function flattenParallel(file: WorkflowFile, steps: readonly Node[]): Node[] {
  const out: Node[] = [];
  for (const step of steps) {
    const inner = field(file, step, 'parallel');
    if (inner !== undefined && asSeq(file, inner) !== undefined) out.push(...flattenParallel(file, rawItems(file, inner)));
    else out.push(step);
  }
  return out;
}

/** Sequence items as written (aliases not resolved), for locations. */
export function rawItems(file: WorkflowFile, node: unknown): readonly Node[] {
  const seq = asSeq(file, node);
  return (seq?.items ?? []).filter((n): n is Node => n !== null && n !== undefined) as Node[];
}

/** Scalar value as a string (numbers/booleans stringified); undefined for collections or null. */
export function scalar(file: WorkflowFile, node: unknown): string | undefined {
  const n = deref(file, node);
  if (!isScalar(n) || n.value === null || n.value === undefined) return undefined;
  return String(n.value);
}

export function rangeOf(file: WorkflowFile, node: Node | undefined): SourceRange {
  const r = node?.range;
  if (r === undefined || r === null) return { startLine: 1, startCol: 1, endLine: 1, endCol: 1 };
  // An anchored node (`- &checkout`) starts at its anchor.
  const anchor = node?.anchor;
  const at = anchor === undefined ? -1 : file.text.lastIndexOf(`&${anchor}`, r[0]);
  return rangeOfOffsets(file, at >= 0 ? at : r[0], r[1]);
}

export function rangeOfOffsets(file: WorkflowFile, start: number, end: number): SourceRange {
  const s = file.lines.linePos(start);
  const e = file.lines.linePos(Math.max(start, end));
  return { startLine: s.line, startCol: s.col, endLine: e.line, endCol: e.col };
}

/** Source range of a substring inside a scalar node (for a `${{ … }}` inside `run:`). */
export function rangeWithin(file: WorkflowFile, node: Node, needle: string): SourceRange {
  const r = node.range;
  if (r === undefined || r === null) return rangeOf(file, node);
  const at = file.text.slice(r[0], r[1]).indexOf(needle);
  if (at < 0) return rangeOf(file, node);
  return rangeOfOffsets(file, r[0] + at, r[0] + at + needle.length);
}

// ---- Actions-specific views -------------------------------------------------------------

export interface StepView {
  readonly node: Node;
  /** Where the step is written (the alias for `- *anchor` steps). */
  readonly site: Node;
  readonly index: number;
  readonly uses?: { readonly value: string; readonly node: Node };
  readonly run?: { readonly value: string; readonly node: Node };
  readonly with: Node | undefined;
  readonly env: Node | undefined;
  readonly condition: Node | undefined;
  readonly shell: string | undefined;
}

export interface JobView {
  readonly id: string;
  readonly keyNode: Node;
  readonly node: Node;
  readonly steps: readonly StepView[];
  /** A reusable-workflow call: `jobs.<id>.uses`. */
  readonly uses?: { readonly value: string; readonly node: Node };
}

function stepView(file: WorkflowFile, site: Node, index: number): StepView {
  const node = deref(file, site) ?? site;
  const usesNode = field(file, node, 'uses');
  const runNode = field(file, node, 'run');
  const usesValue = scalar(file, usesNode);
  const runValue = scalar(file, runNode);
  return {
    node,
    site,
    index,
    ...(usesValue !== undefined && usesNode !== undefined ? { uses: { value: usesValue, node: usesNode } } : {}),
    ...(runValue !== undefined && runNode !== undefined ? { run: { value: runValue, node: runNode } } : {}),
    with: field(file, node, 'with'),
    env: field(file, node, 'env'),
    condition: field(file, node, 'if'),
    shell: scalar(file, field(file, node, 'shell')),
  };
}

export function jobs(file: WorkflowFile): readonly JobView[] {
  if (file.kind === 'gitlab') return [];
  if (file.kind === 'action') {
    const runs = field(file, file.doc.contents, 'runs');
    const steps = rawItems(file, field(file, runs, 'steps')).map((n, i) => stepView(file, n, i));
    if (runs === undefined) return [];
    return [{ id: '(action)', keyNode: runs, node: runs, steps }];
  }
  return entries(file, field(file, file.doc.contents, 'jobs'))
    .filter((e) => e.value !== undefined)
    .map((e) => {
      const node = e.value as Node;
      const usesNode = field(file, node, 'uses');
      const usesValue = scalar(file, usesNode);
      return {
        id: e.key,
        keyNode: e.keyNode,
        node,
        steps: flattenParallel(file, rawItems(file, field(file, node, 'steps'))).map((n, i) => stepView(file, n, i)),
        ...(usesValue !== undefined && usesNode !== undefined ? { uses: { value: usesValue, node: usesNode } } : {}),
      };
    });
}

/** Event names the workflow triggers on (`on:` as string, list or mapping). */
export function triggers(file: WorkflowFile): readonly string[] {
  if (file.kind !== 'workflow') return [];
  const root = file.doc.contents;
  let on = field(file, root, 'on');
  // YAML 1.1 parsers read a bare `on` as true; yaml (1.2 core) keeps 'on', but be tolerant.
  if (on === undefined) on = field(file, root, 'true');
  const single = scalar(file, on);
  if (single !== undefined) return [single];
  const list = items(file, on);
  if (list.length > 0) return list.map((n) => scalar(file, n)).filter((s): s is string => s !== undefined);
  return entries(file, on).map((e) => e.key);
}

export function triggerNode(file: WorkflowFile): Node | undefined {
  return keyNode(file, file.doc.contents, 'on');
}

/** `owner/repo[/path]@ref`, `./local`, `docker://image`. */
export type UsesRef =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 'docker'; readonly image: string }
  | { readonly kind: 'repo'; readonly owner: string; readonly repo: string; readonly subpath: string; readonly ref: string | undefined };

export function parseUses(value: string): UsesRef | undefined {
  const v = value.trim();
  if (v.startsWith('./') || v.startsWith('.\\')) return { kind: 'local', path: v };
  if (v.startsWith('docker://')) return { kind: 'docker', image: v.slice('docker://'.length) };
  const at = v.indexOf('@');
  const target = at >= 0 ? v.slice(0, at) : v;
  const ref = at >= 0 ? v.slice(at + 1) : undefined;
  const parts = target.split('/');
  const [owner, repo, ...rest] = parts;
  if (owner === undefined || repo === undefined || owner === '' || repo === '') return undefined;
  return { kind: 'repo', owner, repo, subpath: rest.join('/'), ref };
}

/** `actions/checkout@…` → 'actions/checkout' (lower case, without subpath or ref). */
export function actionName(value: string): string | undefined {
  const u = parseUses(value);
  if (u?.kind !== 'repo') return undefined;
  return `${u.owner}/${u.repo}`.toLowerCase();
}

export const FULL_SHA = /^[0-9a-f]{40}$/i;

/** Every scalar in a subtree (aliases resolved), for audits that look at expressions anywhere. */
export function allScalars(file: WorkflowFile, node: unknown, out: { node: Node; text: string }[] = [], depth = 0): { node: Node; text: string }[] {
  if (depth > 64) return out;
  const n = deref(file, node);
  if (n === undefined) return out;
  const s = scalar(file, n);
  if (s !== undefined) {
    out.push({ node: n, text: s });
    return out;
  }
  if (isMap(n)) for (const e of entries(file, n)) allScalars(file, e.value, out, depth + 1);
  else if (isSeq(n)) for (const item of n.items) allScalars(file, item, out, depth + 1);
  return out;
}

// ---- GitLab CI views --------------------------------------------------------------------

/** Top-level keys of .gitlab-ci.yml that are not jobs. */
const GITLAB_GLOBAL_KEYS = new Set(['default', 'include', 'stages', 'variables', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script', 'spec', 'types', 'pages:deploy']);

export interface GitlabJobView {
  readonly id: string;
  readonly keyNode: Node;
  readonly node: Node;
}

/** Jobs (hidden `.templates` included: they reach real jobs through `extends:`), plus `default:` as a pseudo-job. */
export function gitlabJobs(file: WorkflowFile): readonly GitlabJobView[] {
  if (file.kind !== 'gitlab') return [];
  const out: GitlabJobView[] = [];
  for (const e of entries(file, file.doc.contents)) {
    if (e.value === undefined || !isMap(e.value)) continue;
    if (e.key === 'default') out.push({ id: 'default', keyNode: e.keyNode, node: e.value });
    else if (!GITLAB_GLOBAL_KEYS.has(e.key)) out.push({ id: e.key, keyNode: e.keyNode, node: e.value });
  }
  return out;
}

/** Script lines (script, before_script, after_script; strings or nested lists) with their nodes. */
export function gitlabScripts(file: WorkflowFile, owner: Node | undefined): readonly { readonly node: Node; readonly text: string }[] {
  const out: { node: Node; text: string }[] = [];
  for (const key of ['before_script', 'script', 'after_script']) {
    const v = field(file, owner, key);
    const single = scalar(file, v);
    if (single !== undefined && v !== undefined) out.push({ node: v, text: single });
    const walk = (n: Node): void => {
      const s = scalar(file, n);
      if (s !== undefined) out.push({ node: n, text: s });
      else for (const child of items(file, n)) walk(child);
    };
    for (const item of items(file, v)) walk(item);
  }
  return out;
}
