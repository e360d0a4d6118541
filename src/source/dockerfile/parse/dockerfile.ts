import { DockerfileParser } from 'dockerfile-ast';
import type { Instruction as AstInstruction, From as AstFrom } from 'dockerfile-ast';
import type { SourceRange } from '../../finding.ts';
import type { DockerfileAst, FromInfo, Heredoc, Instruction, KeyValue, Stage, Word } from '../ast.ts';
import { execFormScript, parseShell } from './shell.ts';
import type { ShellScript } from './shell.ts';
import { substitute } from './substitute.ts';
import { parseImageRef } from './image-ref.ts';

interface LspRange {
  readonly start: { readonly line: number; readonly character: number };
  readonly end: { readonly line: number; readonly character: number };
}

function toRange(r: LspRange): SourceRange {
  return { startLine: r.start.line + 1, startCol: r.start.character + 1, endLine: r.end.line + 1, endCol: r.end.character + 1 };
}

/** Joins continuation lines and drops comment lines inside them, as BuildKit does. */
export function joinContinuations(raw: string, escape: string): string {
  const lines = raw.split('\n');
  let out = '';
  for (let k = 0; k < lines.length; k++) {
    let line = lines[k] ?? '';
    if (k > 0 && /^\s*#/.test(line)) continue;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const trimmed = line.replace(/[ \t]+$/, '');
    if (trimmed.endsWith(escape) && k < lines.length - 1) out += trimmed.slice(0, -1);
    else out += line + (k < lines.length - 1 ? '\n' : '');
  }
  return out;
}

interface Ctx {
  readonly lines: readonly string[];
  readonly escape: string;
}

const JSON_KEYWORDS = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'COPY', 'ADD', 'VOLUME', 'HEALTHCHECK']);
const PAIR_KEYWORDS = new Set(['ENV', 'ARG', 'LABEL']);

function heredocsOf(node: AstInstruction, ctx: Ctx): Heredoc[] {
  const getter = (node as unknown as { getHeredocs?: () => { getName(): string; getContentRange(): LspRange | null }[] }).getHeredocs;
  if (typeof getter !== 'function') return [];
  const out: Heredoc[] = [];
  for (const h of getter.call(node)) {
    const r = h.getContentRange();
    const content = r ? ctx.lines.slice(r.start.line, r.end.line + 1).join('\n') : '';
    out.push({ name: h.getName(), content });
  }
  return out;
}

function jsonOf(node: AstInstruction, text: string): string[] | undefined {
  if (!text.trimStart().startsWith('[')) return undefined;
  const getter = (node as unknown as { getJSONStrings?: () => { getJSONValue(): string }[]; getClosingBracket?: () => unknown })
    .getJSONStrings;
  const closing = (node as unknown as { getClosingBracket?: () => unknown }).getClosingBracket;
  if (typeof getter !== 'function' || typeof closing !== 'function') return undefined;
  if (closing.call(node) === null) return undefined;
  return getter.call(node).map((s) => s.getJSONValue());
}

function pairsOf(node: AstInstruction, keyword: string): KeyValue[] {
  if (!PAIR_KEYWORDS.has(keyword)) return [];
  const props = (node as unknown as {
    getProperties?: () => { getName(): string; getValue(): string | null; getRange(): LspRange }[];
  }).getProperties;
  if (typeof props !== 'function') return [];
  return props.call(node).map((p) => ({ name: p.getName(), value: p.getValue() ?? undefined, range: toRange(p.getRange()) }));
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

function convert(node: AstInstruction, ctx: Ctx, stage: number, onbuild: boolean): Instruction {
  const keyword = node.getKeyword().toUpperCase();
  const raw = node.getRawArgumentsContent() ?? '';
  const heredocs = heredocsOf(node, ctx);
  const text = heredocs.length > 0 ? raw : joinContinuations(raw, ctx.escape);
  const json = JSON_KEYWORDS.has(keyword) ? jsonOf(node, text) : undefined;
  const flagsGetter = (node as unknown as { getFlags?: () => { getName(): string; getValue(): string | null }[] }).getFlags;
  const flags = typeof flagsGetter === 'function' ? flagsGetter.call(node).map((f) => ({ name: f.getName(), value: f.getValue() })) : [];
  const words: Word[] = node.getArguments().map((a) => ({ value: a.getValue(), range: toRange(a.getRange()) }));
  let trigger: Instruction | undefined;
  if (keyword === 'ONBUILD') {
    const t = (node as unknown as { getTriggerInstruction?: () => AstInstruction | null }).getTriggerInstruction?.call(node);
    if (t) trigger = convert(t, ctx, stage, true);
  }
  const shell = shellOf(keyword, text, json, heredocs);
  return {
    keyword,
    range: toRange(node.getRange()),
    text,
    words,
    flags,
    ...(json ? { json } : {}),
    heredocs,
    ...(shell ? { shell } : {}),
    pairs: pairsOf(node, keyword),
    ...(trigger ? { trigger } : {}),
    onbuild,
    stage,
  };
}

function fromInfo(node: AstFrom, ins: Instruction, vars: ReadonlyMap<string, string | undefined>, aliases: ReadonlyMap<string, number>): FromInfo {
  const written = ins.words[0]?.value ?? '';
  const sub = substitute(written, vars);
  const image = sub.value;
  const unresolved = sub.unresolved || image.includes('$') || image === '';
  const alias = node.getBuildStage() ?? undefined;
  const platform = ins.flags.find((f) => f.name === 'platform')?.value ?? undefined;
  const stageRef = aliases.get(image.toLowerCase());
  const scratch = image.toLowerCase() === 'scratch';
  const ref = unresolved || scratch || stageRef !== undefined ? undefined : parseImageRef(image);
  return { written, image, unresolved, ref, alias, platform, stageRef, scratch };
}

/** Parses Dockerfile text into the typed AST. Never throws on malformed input; unknown lines are kept. */
export function parseDockerfile(text: string): DockerfileAst {
  const df = DockerfileParser.parse(text);
  const escape = df.getEscapeCharacter();
  const ctx: Ctx = { lines: text.split('\n'), escape };
  const instructions: Instruction[] = [];
  const flat: Instruction[] = [];
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  const vars = new Map<string, string | undefined>();
  const aliases = new Map<string, number>();
  let current: { index: number; from: FromInfo; fromInstruction: Instruction; instructions: Instruction[] } | undefined;
  for (const node of df.getInstructions()) {
    const keyword = node.getKeyword().toUpperCase();
    if (keyword === 'FROM') {
      const ins = convert(node, ctx, stages.length, false);
      const from = fromInfo(node as AstFrom, ins, vars, aliases);
      current = { index: stages.length, from, fromInstruction: ins, instructions: [] };
      stages.push(current);
      if (from.alias) aliases.set(from.alias.toLowerCase(), current.index);
      instructions.push(ins);
      flat.push(ins);
      continue;
    }
    const ins = convert(node, ctx, current ? current.index : -1, false);
    instructions.push(ins);
    flat.push(ins);
    if (ins.trigger) flat.push(ins.trigger);
    if (current) current.instructions.push(ins);
    else if (keyword === 'ARG') {
      globalArgs.push(ins);
      for (const p of ins.pairs) vars.set(p.name, p.value === undefined ? undefined : substitute(p.value, vars).value);
    }
  }
  const comments = df.getComments().map((c) => ({ line: c.getRange().start.line + 1, text: c.getTextContent() }));
  return { escape, globalArgs, stages, instructions, flat, comments, lineCount: ctx.lines.length };
}
