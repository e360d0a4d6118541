/**
 * GitHub Actions `${{ … }}` expressions: extraction and a small taint classification of the
 * contexts they read. Not a full evaluator: enough to tell whether an expression's VALUE can
 * carry attacker-chosen text into a shell or script.
 */

export interface Expression {
  /** The full `${{ … }}` text as it appears in the string. */
  readonly raw: string;
  /** The inner expression, trimmed. */
  readonly body: string;
  readonly offset: number;
}

export function extractExpressions(text: string): readonly Expression[] {
  const out: Expression[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf('${{', from);
    if (start < 0) break;
    let i = start + 3;
    let quote = false;
    for (; i < text.length - 1; i++) {
      const c = text[i];
      if (c === "'") quote = !quote;
      else if (!quote && c === '}' && text[i + 1] === '}') break;
    }
    if (i >= text.length - 1) break;
    const raw = text.slice(start, i + 2);
    out.push({ raw, body: raw.slice(3, -2).trim(), offset: start });
    from = i + 2;
  }
  return out;
}

/** Removes string literals so that `'github.event'` in quotes is not read as a context. */
function stripLiterals(body: string): string {
  // Same length out as in, so offsets stay valid; literals used as `['index']` are kept.
  return body.replace(/(\[\s*)?'((?:[^']|'')*)'/g, (m: string, bracket: string | undefined) => (bracket !== undefined ? m : `'${' '.repeat(m.length - 2)}'`));
}

export interface ContextRef {
  /** Normalised path, lower case, index syntax folded: `needs.test.result`. */
  readonly path: string;
  /** Offset of the reference inside the expression body. */
  readonly index: number;
  /** The reference as written. */
  readonly text: string;
}

const REF = /(?<![\w.'-])([A-Za-z_][\w-]*)((?:\s*\.\s*[A-Za-z_*][\w-]*|\.\*|\[[^\]]*\])*)/g;
const NOT_CONTEXTS = new Set(['true', 'false', 'null', 'nan', 'infinity']);

/** Context references an expression reads (function names and literals excluded). */
export function contextRefs(body: string): readonly ContextRef[] {
  const text = stripLiterals(body);
  const out: ContextRef[] = [];
  for (const m of text.matchAll(REF)) {
    const root = m[1] ?? '';
    const after = text.slice((m.index ?? 0) + m[0].length);
    if (NOT_CONTEXTS.has(root.toLowerCase())) continue;
    if ((m[2] ?? '') === '' && /^\s*\(/.test(after)) continue; // function call
    const path = (root + (m[2] ?? '').replace(/\s+/g, '').replace(/\[['"]?([^'"\]]*)['"]?\]/g, '.$1')).toLowerCase();
    out.push({ path, index: m.index ?? 0, text: body.slice(m.index ?? 0, (m.index ?? 0) + m[0].length) });
  }
  return out;
}

/** Context paths an expression reads. */
export function contextsIn(body: string): readonly string[] {
  return contextRefs(body).map((r) => r.path);
}

/**
 * Contexts whose result is boolean/numeric regardless of inputs: comparisons and boolean
 * functions. `a || b` and `a && b` yield an operand, so they are NOT boolean.
 */
export function isBooleanExpression(body: string): boolean {
  const text = stripLiterals(body).trim();
  if (/^!/.test(text)) return true;
  if (/(==|!=|<=|>=|<|>)/.test(text)) return true;
  if (/^(contains|startsWith|endsWith|success|failure|always|cancelled)\s*\(.*\)$/is.test(text)) {
    return !/\)\s*(\|\||&&)/.test(text);
  }
  return false;
}

const BOOLEAN_CALL = /\b(contains|startsWith|endsWith|hashFiles|success|failure|always|cancelled)\s*\((?:[^()]|\([^()]*\))*\)/gi;

/** Value-producing context references (drops those used only by comparisons and boolean functions). */
export function valueRefs(body: string): readonly ContextRef[] {
  if (isBooleanExpression(body)) return [];
  // Blank out boolean calls keeping offsets stable.
  let masked = stripLiterals(body).replace(BOOLEAN_CALL, (m) => ' '.repeat(m.length));
  // Secrets are reported wherever they appear, even as a condition (zizmor does the same).
  const secretsInConditions = contextRefs(masked).filter((r) => r.path.startsWith('secrets.'));
  masked = maskConditions(masked);
  const refs = [...contextRefs(masked)];
  for (const s of secretsInConditions) if (!refs.some((r) => r.index === s.index)) refs.push(s);
  refs.sort((a, b) => a.index - b.index);
  return collapseGroups(masked, refs).map((r) => ({ ...r, text: body.slice(r.index, r.index + r.text.length) }));
}

/**
 * In `cond && value || other` (the Actions ternary idiom) the value is `value` or `other`; the
 * leading `&&` operands only decide. Blanks those conditions (top level only), keeping offsets.
 */
function maskConditions(text: string): string {
  const chars = [...text];
  let depth = 0;
  let segmentStart = 0;
  let lastAnd = -1;
  const flush = (end: number): void => {
    if (lastAnd >= 0) for (let k = segmentStart; k < lastAnd; k++) chars[k] = ' ';
    void end;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth === 0 && c === '|' && text[i + 1] === '|') {
      flush(i);
      segmentStart = i + 2;
      lastAnd = -1;
      i++;
    } else if (depth === 0 && c === '&' && text[i + 1] === '&') {
      lastAnd = i;
      i++;
    }
  }
  flush(text.length);
  return chars.join('');
}

/** `(a || b).field` reads one value: keep only the first reference of a parenthesised group that is then indexed. */
function collapseGroups(text: string, refs: ContextRef[]): ContextRef[] {
  const drop = new Set<number>();
  const stack: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') stack.push(i);
    else if (text[i] === ')') {
      const open = stack.pop();
      if (open === undefined || !/^\s*[.[]/.test(text.slice(i + 1))) continue;
      if (open > 0 && /[\w]\s*$/.test(text.slice(0, open))) continue; // a function call's parentheses
      const inside = refs.filter((r) => r.index > open && r.index < i);
      for (const r of inside.slice(1)) drop.add(r.index);
    }
  }
  return refs.filter((r) => !drop.has(r.index));
}

/** attacker: outsiders choose it; fixed: GitHub-controlled or secret; dynamic: anything else. */
export type Taint = 'attacker' | 'dynamic' | 'fixed';

/** Event fields an outside contributor chooses freely (issue/PR/comment text, branch names, commit messages, author names). */
const ATTACKER_FIELDS: readonly RegExp[] = [
  /^github\.head_ref$/,
  /^github\.event\.(issue|pull_request|discussion|pull_request_target)\.(title|body)$/,
  /^github\.event\.(comment|review|review_comment|discussion_comment)\.body$/,
  /^github\.event\.pull_request\.head\.(ref|label)$/,
  /^github\.event\.pull_request\.head\.repo\.(default_branch|description|homepage|name|full_name)$/,
  /^github\.event\.(head_commit|workflow_run\.head_commit)\.(message|author\.(email|name)|committer\.(email|name))$/,
  /^github\.event\.commits(\.\*|\.\d+)?\.(message|author\.(email|name)|committer\.(email|name))$/,
  /^github\.event\.commits(\.\*|\.\d+)?$/,
  /^github\.event\.pages(\.\*|\.\d+)?\.page_name$/,
  /^github\.event\.workflow_run\.(head_branch|display_title|head_repository\.(description|name|full_name))$/,
  /^github\.event\.workflow_run\.pull_requests(\.\*|\.\d+)?\.head\.ref$/,
  /^github\.event\.check_suite\.head_branch$/,
  /^github\.event\.check_run\.check_suite\.head_branch$/,
  /^github\.event\.(issue|pull_request)\.(user\.login|labels.*\.name|head\.repo\.owner\.login)$/,
  /^github\.(ref|ref_name)$/,
  /^github\.event$/,
];

/** Contexts that never carry attacker text (ids, hashes, numbers, GitHub-controlled values, secrets). */
const SAFE_FIELDS: readonly RegExp[] = [
  /^github\.(sha|run_id|run_number|run_attempt|job|action|action_path|action_ref|action_repository|action_status|api_url|graphql_url|server_url|workspace|event_name|repository_id|repository_owner_id|retention_days|workflow_sha|workflow_ref|token|base_ref|ref_type|ref_protected|repository|repository_owner|triggering_actor|actor|actor_id|workflow|output|path|env|step_summary|state)$/,
  /^github\.event\.(number|after|before|repository\..*|pull_request\.(number|id|merged|draft|head\.sha|base\.sha|base\.ref|state|html_url|url|merge_commit_sha)|issue\.(number|id|html_url|state)|comment\.(id|html_url)|workflow_run\.(id|head_sha|conclusion|event|run_number|status|html_url)|sender\..*|installation\..*|organization\..*|action|forced|created|deleted|ref|inputs\..*bool.*)$/,
  /^secrets(\..*)?$/,
  /^vars(\..*)?$/,
  /^runner\..*$/,
  /^job\.(status|container\.id|container\.network|services\..*\.id|services\..*\.network)$/,
  /^strategy\..*$/,
  /^steps\.[\w-]+\.(outcome|conclusion)$/,
  /^github\.event\.pull_request\.head\.repo\.fork$/,
  /^needs\.[\w-]+\.result$/,
];

export function classifyContext(context: string): Taint {
  if (ATTACKER_FIELDS.some((re) => re.test(context))) return 'attacker';
  if (SAFE_FIELDS.some((re) => re.test(context))) return 'fixed';
  return 'dynamic';
}
