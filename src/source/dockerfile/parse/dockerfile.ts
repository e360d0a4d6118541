import type { SourceRange } from '../../finding.ts';
import type { DockerfileAst, FromInfo, Heredoc, Instruction, KeyValue, Stage, Word } from '../ast.ts';
import { allCommands, execFormScript, parseShell, unwrap } from './shell.ts';
import type { ShellScript } from './shell.ts';
import { substitute } from './substitute.ts';
import { parseImageRef } from './image-ref.ts';

interface Ctx {
  readonly lines: readonly string[];
  /** Offset of the start of each line in the document. */
  readonly lineStarts: readonly number[];
  readonly text: string;
  readonly escape: string;
}

const JSON_KEYWORDS = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'COPY', 'ADD', 'VOLUME', 'HEALTHCHECK']);
const FLAG_KEYWORDS = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'HEALTHCHECK']);

/** Continuation-joined text with segments mapping it back to document offsets. */
interface Joined {
  readonly text: string;
  /** [joinedStart, documentStart] pairs, ascending. */
  readonly segments: readonly (readonly [number, number])[];
}

/** Document offset of a position in the joined text. */
function docOffset(j: Joined, at: number): number {
  const segs = j.segments;
  let lo = 0;
  let hi = segs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((segs[mid]?.[0] ?? 0) <= at) lo = mid;
    else hi = mid - 1;
  }
  const seg = segs[lo] ?? [0, 0];
  return seg[1] + (at - seg[0]);
}

/**
 * Joins continuation lines and drops comment lines inside them, as BuildKit does, keeping segments
 * back to document offsets so words keep exact ranges. `from`/`to` are document offsets.
 */
function joinRange(ctx: Ctx, from: number, to: number): Joined {
  const src = ctx.text;
  const parts: string[] = [];
  const segments: [number, number][] = [];
  let len = 0;
  let i = from;
  let first = true;
  while (i < to) {
    let eol = src.indexOf('\n', i);
    if (eol < 0 || eol > to) eol = to;
    let lineEnd = eol;
    if (lineEnd > i && src.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    const isLast = eol >= to;
    if (!first && isCommentLine(src, i, lineEnd)) {
      i = eol + 1;
      continue;
    }
    first = false;
    let t = lineEnd;
    while (t > i && (src.charCodeAt(t - 1) === 32 || src.charCodeAt(t - 1) === 9)) t--;
    const continues = !isLast && t > i && src[t - 1] === ctx.escape;
    const bodyEnd = continues ? t - 1 : lineEnd;
    segments.push([len, i]);
    parts.push(src.slice(i, bodyEnd));
    len += bodyEnd - i;
    if (!continues && !isLast) {
      parts.push('\n');
      len += 1;
    }
    i = eol + 1;
  }
  if (segments.length === 0) segments.push([0, from]);
  return { text: parts.join(''), segments };
}

function isCommentLine(src: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = src.charCodeAt(k);
    if (c === 32 || c === 9) continue;
    return c === 35;
  }
  return false;
}

function positionOf(ctx: Ctx, offset: number): { line: number; col: number } {
  let lo = 0;
  let hi = ctx.lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((ctx.lineStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - (ctx.lineStarts[lo] ?? 0) + 1 };
}

function rangeOf(ctx: Ctx, j: Joined, start: number, end: number): SourceRange {
  const a = positionOf(ctx, docOffset(j, start));
  const b = positionOf(ctx, docOffset(j, Math.max(start, end - 1)) + 1);
  return { startLine: a.line, startCol: a.col, endLine: b.line, endCol: b.col };
}

interface Token {
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Splits Dockerfile arguments on whitespace, keeping quoted runs (quotes kept in the value). */
function tokens(text: string, from: number, escape: string, flagsOnly = false): Token[] {
  const out: Token[] = [];
  let i = from;
  while (i < text.length) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (i >= text.length) break;
    const start = i;
    let quote = '';
    while (i < text.length) {
      const c = text[i] ?? '';
      if (quote) {
        if (c === escape && quote === '"') i++;
        else if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === escape) i++;
      else if (isSpace(text.charCodeAt(i))) break;
      i++;
    }
    out.push({ value: text.slice(start, Math.min(i, text.length)), start, end: Math.min(i, text.length) });
    if (flagsOnly && !text.startsWith('--', start)) break;
  }
  return out;
}

/** Removes one level of quoting from a Dockerfile value ("a b" → a b, 'x' → x, a\ b → a b). */
export function unquote(value: string, escape = '\\'): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] ?? '';
    if (quote) {
      if (c === quote) quote = '';
      else if (c === escape && quote === '"' && i + 1 < value.length) out += value[++i] ?? '';
      else out += c;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === escape && i + 1 < value.length) out += value[++i] ?? '';
    else out += c;
  }
  return out;
}

/** Exec form: the argument text is a JSON array of strings (as BuildKit parses it); otherwise shell form. */
function jsonOf(text: string): string[] | undefined {
  const t = text.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  } catch {
    return undefined; // not JSON: BuildKit runs it in shell form, and so do we
  }
}

function pairsOf(keyword: string, words: readonly Word[], text: string, escape: string): KeyValue[] {
  if (keyword === 'ARG') {
    return words.map((w) => {
      const eq = w.value.indexOf('=');
      return eq < 0 ? { name: w.value, value: undefined, range: w.range } : { name: w.value.slice(0, eq), value: unquote(w.value.slice(eq + 1), escape), range: w.range };
    });
  }
  if (keyword !== 'ENV' && keyword !== 'LABEL') return [];
  const first = words[0];
  if (!first) return [];
  if (!first.value.includes('=') || first.value.startsWith('=')) {
    // legacy form: ENV NAME value with spaces
    const rest = text.trim().slice(first.value.length).trim();
    return [{ name: unquote(first.value, escape), value: unquote(rest, escape), range: first.range }];
  }
  return words.map((w) => {
    const eq = w.value.indexOf('=');
    return { name: unquote(eq < 0 ? w.value : w.value.slice(0, eq), escape), value: eq < 0 ? '' : unquote(w.value.slice(eq + 1), escape), range: w.range };
  });
}

function shellOf(keyword: string, text: string, json: readonly string[] | undefined, heredocs: readonly Heredoc[]): ShellScript | undefined {
  if (keyword !== 'RUN') return undefined;
  if (json) return execFormScript(json);
  if (heredocs.length === 0) return parseShell(text);
  // `RUN <<EOF` (or `RUN bash <<EOF`): the heredoc body is the script.
  const first = text.split('\n')[0] ?? '';
  const head = first.replace(/<<-?\s*["']?[A-Za-z0-9_]+["']?/g, '').trim();
  const parts = [head];
  if (head === '' || /^(?:\/\S*\/)?(?:sh|bash|ash|dash|zsh)(?:\s+-\S+)*$/.test(head)) parts.push(...heredocs.map((h) => h.content));
  return parseShell(parts.join('\n'));
}

/** One instruction as found by the scanner: document offsets and its heredoc bodies. */
interface RawInstruction {
  readonly from: number;
  readonly to: number;
  readonly heredocs: readonly Heredoc[];
}

function convert(raw: RawInstruction, ctx: Ctx, stage: number, onbuild: boolean): Instruction {
  const { from, to } = raw;
  const joined = joinRange(ctx, from, to);
  let i = 0;
  while (i < joined.text.length && isSpace(joined.text.charCodeAt(i))) i++;
  const kwStart = i;
  while (i < joined.text.length && !isSpace(joined.text.charCodeAt(i))) i++;
  const keyword = joined.text.slice(kwStart, i).toUpperCase();
  const all = tokens(joined.text, i, ctx.escape, keyword === 'RUN');
  const flags: { name: string; value: string | null }[] = [];
  let k = 0;
  if (FLAG_KEYWORDS.has(keyword)) {
    for (; k < all.length; k++) {
      const t = all[k];
      if (!t?.value.startsWith('--') || t.value.length < 3) break;
      const eq = t.value.indexOf('=');
      flags.push(eq < 0 ? { name: t.value.slice(2), value: null } : { name: t.value.slice(2, eq), value: unquote(t.value.slice(eq + 1), ctx.escape) });
    }
  }
  const argStart = all[k]?.start ?? joined.text.length;
  const words: Word[] = keyword === 'RUN' ? [] : all.slice(k).map((t) => ({ value: t.value, range: rangeOf(ctx, joined, t.start, t.end) }));
  const heredocs = onbuild ? [] : raw.heredocs;
  const joinedArgs = joined.text.slice(argStart).replace(/\s+$/, '');
  const text = heredocs.length > 0 ? (joinedArgs.split('\n')[0] ?? '') : joinedArgs;
  const json = JSON_KEYWORDS.has(keyword) ? jsonOf(text) : undefined;
  let trigger: Instruction | undefined;
  if (keyword === 'ONBUILD' && argStart < joined.text.length) {
    trigger = convert({ from: docOffset(joined, argStart), to, heredocs: raw.heredocs }, ctx, stage, true);
  }
  const shell = shellOf(keyword, text, json, heredocs);
  const rawCommands = shell ? allCommands(shell) : [];
  const a = positionOf(ctx, docOffset(joined, kwStart));
  const b = positionOf(ctx, to);
  return {
    keyword,
    range: { startLine: a.line, startCol: a.col, endLine: b.line, endCol: b.col },
    text,
    words,
    flags,
    ...(json ? { json } : {}),
    heredocs,
    ...(shell ? { shell } : {}),
    commands: rawCommands.map(unwrap),
    rawCommands,
    pairs: pairsOf(keyword, words, text, ctx.escape),
    ...(trigger ? { trigger } : {}),
    onbuild,
    stage,
  };
}

const DIRECTIVE = /^#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(\S*)\s*$/;
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);
const HEREDOC_MARK = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

function endsWithEscape(line: string, escape: string): boolean {
  let t = line.length;
  while (t > 0 && (line.charCodeAt(t - 1) === 32 || line.charCodeAt(t - 1) === 9 || line.charCodeAt(t - 1) === 13)) t--;
  return t > 0 && line[t - 1] === escape;
}

interface Scanned {
  readonly escape: string;
  readonly instructions: readonly RawInstruction[];
  readonly comments: readonly { readonly line: number; readonly text: string }[];
}

/**
 * Finds instructions, comments and parser directives the way BuildKit's parser does: directives only
 * at the top; comment and blank lines inside a continuation are dropped; heredoc bodies (RUN, COPY,
 * ADD) run to their delimiter line.
 */
export function scanDockerfile(text: string, lines: readonly string[], lineStarts: readonly number[]): Scanned {
  let escape = '\\';
  let n = 0;
  for (; n < lines.length; n++) {
    const m = DIRECTIVE.exec((lines[n] ?? '').replace(/\r$/, ''));
    if (!m) break;
    if (m[1]?.toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
  }
  const instructions: RawInstruction[] = [];
  const comments: { line: number; text: string }[] = [];
  for (let l = 0; l < lines.length; l++) {
    const line = (lines[l] ?? '').replace(/\r$/, '');
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      comments.push({ line: l + 1, text: trimmed });
      continue;
    }
    const start = l;
    let end = l;
    let cur = line;
    while (endsWithEscape(cur, escape) && end + 1 < lines.length) {
      end++;
      cur = (lines[end] ?? '').replace(/\r$/, '');
      // comment and blank lines inside a continuation do not end it
      while ((/^\s*#/.test(cur) || cur.trim() === '') && end + 1 < lines.length) {
        end++;
        cur = (lines[end] ?? '').replace(/\r$/, '');
      }
    }
    const keyword = (/^\s*(\S+)/.exec(line)?.[1] ?? '').toUpperCase();
    const trigger = keyword === 'ONBUILD' ? (/^\s*\S+\s+(\S+)/.exec(line)?.[1] ?? '').toUpperCase() : keyword;
    const heredocs: Heredoc[] = [];
    if (HEREDOC_KEYWORDS.has(trigger)) {
      const logical = lines.slice(start, end + 1).join('\n');
      for (const m of logical.matchAll(HEREDOC_MARK)) {
        const name = m[3] ?? '';
        const strip = m[1] === '-';
        const body: string[] = [];
        let k = end + 1;
        for (; k < lines.length; k++) {
          const raw = (lines[k] ?? '').replace(/\r$/, '');
          if ((strip ? raw.replace(/^\t+/, '') : raw) === name) break;
          body.push(strip ? raw.replace(/^\t+/, '') : raw);
        }
        heredocs.push({ name, content: body.join('\n') });
        end = Math.min(k, lines.length - 1);
      }
    }
    const lastLine = (lines[end] ?? '').replace(/\r$/, '');
    const from = (lineStarts[start] ?? 0) + (line.length - line.trimStart().length);
    const to = (lineStarts[end] ?? 0) + lastLine.replace(/\s+$/, '').length;
    instructions.push({ from, to, heredocs });
    l = end;
  }
  return { escape, instructions, comments };
}

function fromInfo(ins: Instruction, vars: ReadonlyMap<string, string | undefined>, aliases: ReadonlyMap<string, number>): FromInfo {
  const written = ins.words[0]?.value ?? '';
  const sub = substitute(written, vars);
  const image = sub.value;
  const unresolved = sub.unresolved || image.includes('$') || image === '';
  const alias = ins.words[1]?.value.toUpperCase() === 'AS' ? ins.words[2]?.value : undefined;
  const platform = ins.flags.find((f) => f.name === 'platform')?.value ?? undefined;
  const stageRef = aliases.get(image.toLowerCase());
  const scratch = image.toLowerCase() === 'scratch';
  const ref = unresolved || scratch || stageRef !== undefined ? undefined : parseImageRef(image);
  return { written, image, unresolved, ref, alias, platform, stageRef, scratch };
}

/** Parses Dockerfile text into the typed AST. Never throws on malformed input; unknown lines are kept. */
export function parseDockerfile(text: string): DockerfileAst {
  const lines = text.split('\n');
  const lineStarts: number[] = [];
  let off = 0;
  for (const l of lines) {
    lineStarts.push(off);
    off += l.length + 1;
  }
  const scanned = scanDockerfile(text, lines, lineStarts);
  const escape = scanned.escape;
  const ctx: Ctx = { lines, lineStarts, text, escape };
  const instructions: Instruction[] = [];
  const flat: Instruction[] = [];
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  const vars = new Map<string, string | undefined>();
  const aliases = new Map<string, number>();
  let current: { index: number; from: FromInfo; fromInstruction: Instruction; instructions: Instruction[] } | undefined;
  for (const raw of scanned.instructions) {
    const parsed = convert(raw, ctx, current ? current.index : -1, false);
    const ins = parsed.keyword === 'FROM' ? { ...parsed, stage: stages.length } : parsed;
    if (ins.keyword === 'FROM') {
      const from = fromInfo(ins, vars, aliases);
      current = { index: stages.length, from, fromInstruction: ins, instructions: [] };
      stages.push(current);
      if (from.alias) aliases.set(from.alias.toLowerCase(), current.index);
      instructions.push(ins);
      flat.push(ins);
      continue;
    }
    instructions.push(ins);
    flat.push(ins);
    if (ins.trigger) flat.push(ins.trigger);
    if (current) current.instructions.push(ins);
    else if (ins.keyword === 'ARG') {
      globalArgs.push(ins);
      for (const p of ins.pairs) vars.set(p.name, p.value === undefined ? undefined : substitute(p.value, vars).value);
    }
  }
  return { escape, globalArgs, stages, instructions, flat, comments: scanned.comments, lineCount: lines.length };
}
