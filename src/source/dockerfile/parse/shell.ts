/**
 * A small, careful tokenizer/parser for the POSIX shell subset found in Dockerfile RUN lines.
 * It is not a shell: it recovers commands, their words, pipelines, redirections and nested
 * scripts ($(…), `…`, <(…), >(…), ( … ) subshells, `sh -c '…'`), which is what the rules need.
 * It never throws: malformed input (unbalanced quotes) ends the current word at end of input.
 * Decision record: docs/decisions/dockerfile-parsing-and-shell-parser.md.
 */

export interface ShellWord {
  /** Text with quotes and escapes removed; expansions kept verbatim (`$(curl …)`, `${X:-y}`). */
  readonly value: string;
  /** True when any part of the word was quoted. */
  readonly quoted: boolean;
  /** True when the word contains an unquoted or double-quoted expansion ($X, $(…), `…`). */
  readonly expands: boolean;
  /** Scripts nested in the word: command and process substitutions. */
  readonly subs: readonly ShellScript[];
}

export interface ShellRedirect {
  readonly op: string;
  readonly target: ShellWord | undefined;
}

export interface ShellCommand {
  /** Basename of the command word ('' for a bare assignment or redirection). */
  readonly name: string;
  /** Every word including the command word. */
  readonly words: readonly ShellWord[];
  /** Values of the words after the command word. */
  readonly args: readonly string[];
  readonly assigns: readonly { readonly name: string; readonly value: string }[];
  readonly redirects: readonly ShellRedirect[];
  /** Scripts nested anywhere in this command (substitutions, `sh -c` text). */
  readonly subs: readonly ShellScript[];
  /** Offset in the script text where the command starts. */
  readonly offset: number;
}

/** One stage of a pipeline: a simple command, or everything inside a subshell/group. */
export interface PipeUnit {
  readonly head: ShellCommand | undefined;
  readonly commands: readonly ShellCommand[];
}

export interface ShellScript {
  /** Top-level simple commands in order (subshell contents included, substitutions not). */
  readonly commands: readonly ShellCommand[];
  /** Every pipeline with two or more stages. */
  readonly pipelines: readonly (readonly PipeUnit[])[];
  /** Separators seen at this level: '&&', '||', ';', '&', '\n'. */
  readonly separators: readonly string[];
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ash', 'ksh', 'mksh', 'busybox']);
const MAX_DEPTH = 16;
const PLAIN_STOP = new Set([' ', '\t', '\n', '\r', ';', '&', '|', '<', '>', '(', ')', '\\', "'", '"', '$', '`']);
const OP_START = new Set([';', '&', '|', '<', '>']);
const TWO_CHAR_OPS = new Set(['&&', '||', ';;', '|&', '>>', '<<', '>&', '<&', '&>', '>|', '<>']);
const META = new Set([' ', '\t', '\n', '\r', ';', '&', '|', '<', '>', '(', ')']);
const SKIP_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'time', 'esac']);

interface Token {
  readonly kind: 'word' | 'op';
  readonly text: string; // op text, or word value
  readonly word?: ShellWord;
  readonly offset: number;
}

class Lexer {
  i: number;
  readonly s: string;
  readonly depth: number;
  constructor(s: string, start: number, depth: number) {
    this.s = s;
    this.i = start;
    this.depth = depth;
  }

  /** Next token, or undefined at end of input. Comments are skipped. */
  next(): Token | undefined {
    const s = this.s;
    for (;;) {
      let ch = s.charCodeAt(this.i);
      while (ch === 32 || ch === 9 || ch === 13) ch = s.charCodeAt(++this.i);
      if (s[this.i] === '\\' && s[this.i + 1] === '\n') {
        this.i += 2;
        continue;
      }
      if (s[this.i] === '#') {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
        continue;
      }
      break;
    }
    if (this.i >= s.length) return undefined;
    const start = this.i;
    const c = s[this.i] ?? '';
    if (OP_START.has(c)) {
      if ((c === '<' || c === '>') && s[this.i + 1] === '(') {
        return { kind: 'word', text: '', word: this.word(), offset: start };
      }
      const three = s.slice(this.i, this.i + 3);
      if (three === '<<<' || three === '<<-' || three === '&>>' || three === ';;&') {
        this.i += 3;
        return { kind: 'op', text: three, offset: start };
      }
      const two = three.slice(0, 2);
      if (TWO_CHAR_OPS.has(two)) {
        this.i += 2;
        return { kind: 'op', text: two, offset: start };
      }
    }
    if (META.has(c)) {
      this.i++;
      return { kind: 'op', text: c, offset: start };
    }
    // an fd number directly before a redirection belongs to the redirection
    const code = s.charCodeAt(this.i);
    if (code >= 48 && code <= 57) {
      let j = this.i;
      while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
      if (s[j] === '<' || s[j] === '>') {
        this.i = j;
        const t = this.next();
        return t ? { ...t, offset: start } : undefined;
      }
    }
    const w = this.word();
    return { kind: 'word', text: w.value, word: w, offset: start };
  }

  private nested(close: string): ShellScript {
    if (this.depth >= MAX_DEPTH) {
      this.skipBalanced(close);
      return EMPTY;
    }
    const p = new Parser(this.s, this.i, this.depth + 1);
    const script = p.parse(close);
    this.i = p.lex.i;
    return script;
  }

  private skipBalanced(close: string): void {
    let depth = 1;
    while (this.i < this.s.length && depth > 0) {
      const ch = this.s[this.i];
      if (ch === '\\') this.i++;
      else if (ch === '(') depth++;
      else if (ch === close) depth--;
      this.i++;
    }
  }

  /** Reads `${…}` (after the `$`), returning the raw text. */
  private braced(): string {
    const start = this.i;
    let depth = 0;
    while (this.i < this.s.length) {
      const ch = this.s[this.i];
      if (ch === '\\') this.i++;
      else if (ch === '{') depth++;
      else if (ch === '}') {
        depth--;
        if (depth === 0) {
          this.i++;
          break;
        }
      }
      this.i++;
    }
    return '$' + this.s.slice(start, this.i);
  }

  /** Handles `$` at this.i; appends to parts. Returns the text and any nested script. */
  private dollar(subs: ShellScript[]): string {
    const s = this.s;
    const start = this.i;
    this.i++; // $
    if (s[this.i] === '(' && s[this.i + 1] === '(') {
      this.i += 2;
      this.skipBalanced(')');
      if (s[this.i] === ')') this.i++;
      return s.slice(start, this.i);
    }
    if (s[this.i] === '(') {
      this.i++;
      subs.push(this.nested(')'));
      if (s[this.i] === ')') this.i++;
      return s.slice(start, this.i);
    }
    if (s[this.i] === '{') return this.braced();
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(s.slice(this.i, this.i + 64));
    if (m) {
      this.i += m[0].length;
      return s.slice(start, this.i);
    }
    return '$';
  }

  private backtick(subs: ShellScript[]): string {
    const s = this.s;
    const start = this.i;
    this.i++;
    let inner = '';
    while (this.i < s.length && s[this.i] !== '`') {
      if (s[this.i] === '\\' && this.i + 1 < s.length) {
        inner += s[this.i + 1];
        this.i += 2;
        continue;
      }
      inner += s[this.i];
      this.i++;
    }
    this.i++;
    if (this.depth < MAX_DEPTH) subs.push(new Parser(inner, 0, this.depth + 1).parse(undefined));
    return s.slice(start, Math.min(this.i, s.length));
  }

  word(): ShellWord {
    const s = this.s;
    let value = '';
    let quoted = false;
    let expands = false;
    const subs: ShellScript[] = [];
    while (this.i < s.length) {
      const c = s[this.i] ?? '';
      if ((c === '<' || c === '>') && s[this.i + 1] === '(' && value === '') {
        this.i += 2;
        subs.push(this.nested(')'));
        if (s[this.i] === ')') this.i++;
        value += c + '(…)';
        expands = true;
        continue;
      }
      if (META.has(c)) break;
      if (c === '\\') {
        if (s[this.i + 1] === '\n') {
          this.i += 2;
          continue;
        }
        value += s[this.i + 1] ?? '';
        this.i += 2;
        continue;
      }
      if (c === "'") {
        quoted = true;
        const end = s.indexOf("'", this.i + 1);
        const stop = end < 0 ? s.length : end;
        value += s.slice(this.i + 1, stop);
        this.i = stop + 1;
        continue;
      }
      if (c === '"') {
        quoted = true;
        this.i++;
        while (this.i < s.length && s[this.i] !== '"') {
          const d = s[this.i];
          if (d === '\\' && this.i + 1 < s.length) {
            const n = s[this.i + 1] ?? '';
            if (n === '\n') {
              this.i += 2;
              continue;
            }
            value += '$`"\\'.includes(n) ? n : '\\' + n;
            this.i += 2;
          } else if (d === '$') {
            expands = true;
            value += this.dollar(subs);
          } else if (d === '`') {
            expands = true;
            value += this.backtick(subs);
          } else {
            value += d;
            this.i++;
          }
        }
        this.i++;
        continue;
      }
      if (c === '$') {
        expands = true;
        value += this.dollar(subs);
        continue;
      }
      if (c === '`') {
        expands = true;
        value += this.backtick(subs);
        continue;
      }
      // a run of plain characters
      let j = this.i + 1;
      while (j < s.length && !PLAIN_STOP.has(s[j] ?? '')) j++;
      value += s.slice(this.i, j);
      this.i = j;
    }
    return { value, quoted, expands, subs };
  }
}

const EMPTY: ShellScript = Object.freeze({ commands: [], pipelines: [], separators: [] });

const REDIRECT_OPS = new Set(['<', '>', '>>', '<<', '<<-', '<<<', '>&', '<&', '&>', '&>>', '>|', '<>']);

class Parser {
  readonly lex: Lexer;
  private readonly depth: number;
  private peeked: Token | undefined;
  private hasPeek = false;
  constructor(s: string, start: number, depth: number) {
    this.lex = new Lexer(s, start, depth);
    this.depth = depth;
  }

  private peek(): Token | undefined {
    if (!this.hasPeek) {
      this.peeked = this.lex.next();
      this.hasPeek = true;
    }
    return this.peeked;
  }
  private take(): Token | undefined {
    const t = this.peek();
    this.hasPeek = false;
    return t;
  }

  /** Parses until end of input or an unmatched `close` (left unconsumed in lex.i position). */
  parse(close: string | undefined): ShellScript {
    const commands: ShellCommand[] = [];
    const pipelines: PipeUnit[][] = [];
    const separators: string[] = [];
    let pipe: PipeUnit[] = [];
    const endPipe = (): void => {
      if (pipe.length > 1) pipelines.push(pipe);
      pipe = [];
    };
    for (;;) {
      const t = this.peek();
      if (!t) break;
      if (t.kind === 'op' && t.text === close) {
        // leave the lexer just before the closing char for the caller
        this.lex.i = t.offset;
        this.hasPeek = false;
        break;
      }
      if (t.kind === 'op') {
        this.take();
        if (t.text === '|' || t.text === '|&') continue;
        if (t.text === '(') {
          const inner = new Parser(this.lex.s, this.lex.i, this.depth + 1);
          const script = inner.parse(')');
          this.lex.i = inner.lex.i + 1;
          commands.push(...script.commands);
          pipelines.push(...(script.pipelines as PipeUnit[][]));
          pipe.push({ head: script.commands[0], commands: script.commands });
          this.afterUnit(pipe, endPipe, separators);
          continue;
        }
        if (t.text === ')') {
          endPipe();
          continue;
        }
        if (t.text === ';;' || t.text === ';;&') {
          endPipe();
          this.skipPattern();
          continue;
        }
        if (REDIRECT_OPS.has(t.text)) {
          // stray redirection with no command (e.g. `> file`): consume target
          const target = this.peek();
          if (target?.kind === 'word') this.take();
          continue;
        }
        separators.push(t.text);
        endPipe();
        continue;
      }
      // word in command position
      if (SKIP_KEYWORDS.has(t.text) && !t.word?.quoted) {
        this.take();
        continue;
      }
      if ((t.text === 'for' || t.text === 'select') && !t.word?.quoted) {
        this.take();
        this.skipUntilSeparator();
        continue;
      }
      if (t.text === 'case' && !t.word?.quoted) {
        this.take();
        this.skipCaseHeader();
        continue;
      }
      const cmd = this.simpleCommand();
      if (cmd) {
        commands.push(cmd);
        pipe.push({ head: cmd, commands: [cmd] });
      }
      this.afterUnit(pipe, endPipe, separators);
    }
    endPipe();
    return { commands, pipelines, separators };
  }

  private afterUnit(_pipe: PipeUnit[], endPipe: () => void, separators: string[]): void {
    const n = this.peek();
    if (n?.kind === 'op' && (n.text === '|' || n.text === '|&')) {
      this.take();
      return;
    }
    if (n?.kind === 'op' && n.text !== '(' && n.text !== ')' && n.text !== ';;' && n.text !== ';;&' && !REDIRECT_OPS.has(n.text)) {
      this.take();
      separators.push(n.text);
    }
    endPipe();
  }

  private skipUntilSeparator(): void {
    for (;;) {
      const t = this.peek();
      if (!t) return;
      if (t.kind === 'op' && (t.text === ';' || t.text === '\n' || t.text === '&&' || t.text === '||')) {
        this.take();
        return;
      }
      this.take();
    }
  }

  /** `case WORD in` then patterns `pat)` handled by the main loop treating `)` as a separator. */
  private skipCaseHeader(): void {
    for (;;) {
      const t = this.take();
      if (!t) return;
      if (t.kind === 'word' && t.text === 'in') break;
    }
    this.skipPattern();
  }

  private skipPattern(): void {
    // skip optional newlines, then words and `|` up to `)`
    for (;;) {
      const t = this.peek();
      if (!t) return;
      if (t.kind === 'op' && t.text === '\n') {
        this.take();
        continue;
      }
      if (t.kind === 'word' && t.text === 'esac') return;
      break;
    }
    for (;;) {
      const t = this.take();
      if (!t) return;
      if (t.kind === 'op' && t.text === ')') return;
    }
  }

  private simpleCommand(): ShellCommand | undefined {
    const words: ShellWord[] = [];
    const assigns: { name: string; value: string }[] = [];
    const redirects: ShellRedirect[] = [];
    const subs: ShellScript[] = [];
    let offset = -1;
    for (;;) {
      const t = this.peek();
      if (!t) break;
      if (t.kind === 'op') {
        if (REDIRECT_OPS.has(t.text)) {
          this.take();
          const target = this.peek();
          let tw: ShellWord | undefined;
          if (target?.kind === 'word') {
            this.take();
            tw = target.word;
            if (tw) subs.push(...tw.subs);
          }
          redirects.push({ op: t.text, target: tw });
          if (offset < 0) offset = t.offset;
          continue;
        }
        if (t.text === '(' && words.length === 1) {
          // function definition `name() {…}`: skip the parens, body parsed as commands
          this.take();
          const close = this.peek();
          if (close?.kind === 'op' && close.text === ')') this.take();
          return undefined;
        }
        break;
      }
      this.take();
      const w = t.word;
      if (!w) continue;
      if (offset < 0) offset = t.offset;
      subs.push(...w.subs);
      const assign = words.length === 0 ? /^([A-Za-z_][A-Za-z0-9_]*)\+?=([\s\S]*)$/.exec(w.value) : null;
      if (assign?.[1] !== undefined && !w.value.startsWith('=')) {
        assigns.push({ name: assign[1], value: assign[2] ?? '' });
        continue;
      }
      words.push(w);
    }
    if (words.length === 0 && assigns.length === 0 && redirects.length === 0) return undefined;
    return makeCommand(words, assigns, redirects, subs, Math.max(0, offset), this.depth);
  }
}

function basename(word: string): string {
  if (word.includes('$(') || word.includes('`')) return word;
  const i = word.lastIndexOf('/');
  return i >= 0 ? word.slice(i + 1) : word;
}

function makeCommand(
  words: readonly ShellWord[],
  assigns: readonly { name: string; value: string }[],
  redirects: readonly ShellRedirect[],
  subs: ShellScript[],
  offset: number,
  depth: number,
): ShellCommand {
  const name = basename(words[0]?.value ?? '');
  const args = words.slice(1).map((w) => w.value);
  // sh -c 'script' / bash -ec "script": the string is a script too
  if (SHELLS.has(name) && depth < MAX_DEPTH) {
    for (let k = 0; k < args.length; k++) {
      const a = args[k] ?? '';
      const script = words[k + 2];
      if (/^-[a-z]*c[a-z]*$/.test(a) && script !== undefined && script.subs.length === 0) {
        subs.push(new Parser(args[k + 1] ?? '', 0, depth + 1).parse(undefined));
        break;
      }
    }
  }
  return { name, words, args, assigns, redirects, subs, offset };
}

/** Parses shell text (a RUN line after Dockerfile continuation handling). Never throws. */
export function parseShell(text: string): ShellScript {
  return new Parser(text, 0, 0).parse(undefined);
}

/** Builds the script for an exec-form RUN/CMD (`["sh", "-c", "…"]`). */
export function execFormScript(argv: readonly string[]): ShellScript {
  const words = argv.map((value) => ({ value, quoted: true, expands: false, subs: [] }));
  if (words.length === 0) return EMPTY;
  const cmd = makeCommand(words, [], [], [], 0, 0);
  return { commands: [cmd], pipelines: [], separators: [] };
}

/** Every simple command, including those nested in substitutions and `sh -c` strings. */
export function allCommands(script: ShellScript): ShellCommand[] {
  const out: ShellCommand[] = [];
  const visit = (s: ShellScript): void => {
    for (const c of s.commands) {
      out.push(c);
      for (const sub of c.subs) visit(sub);
    }
  };
  visit(script);
  return out;
}

/** Every pipeline, including nested ones. */
export function allPipelines(script: ShellScript): (readonly PipeUnit[])[] {
  const out: (readonly PipeUnit[])[] = [];
  const visit = (s: ShellScript): void => {
    out.push(...s.pipelines);
    for (const c of s.commands) for (const sub of c.subs) visit(sub);
  };
  visit(script);
  return out;
}

export function isShellName(name: string): boolean {
  return SHELLS.has(name);
}

const WRAPPERS = new Set(['sudo', 'env', 'exec', 'nohup', 'time', 'gosu', 'su-exec', 'chroot', 'nice', 'stdbuf', 'doas']);

/** Strips `sudo`, `env A=b`, `exec`… so `sudo apt-get install x` is seen as apt-get. */
export function unwrap(cmd: ShellCommand): ShellCommand {
  let c = cmd;
  for (let guard = 0; guard < 4 && WRAPPERS.has(c.name); guard++) {
    let k = 1;
    const w = c.words;
    while (k < w.length) {
      const v = w[k]?.value ?? '';
      if (v.startsWith('-')) {
        k += c.name === 'sudo' && /^-[ugCDhprtT]$/.test(v) ? 2 : 1;
        continue;
      }
      if (c.name === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(v)) {
        k++;
        continue;
      }
      if ((c.name === 'gosu' || c.name === 'su-exec' || c.name === 'chroot') && k === 1) {
        k++;
        continue;
      }
      break;
    }
    const words = w.slice(k);
    if (words.length === 0) return c;
    const first = words[0]?.value ?? '';
    const slash = first.lastIndexOf('/');
    c = { ...c, name: slash >= 0 ? first.slice(slash + 1) : first, words, args: words.slice(1).map((x) => x.value) };
  }
  return c;
}

