/** Shared helpers for rules: what RUN lines execute, flags, stage facts. Pure. */
import type { DockerfileAst, Instruction, Stage } from './ast.ts';
import { allPipelines } from './parse/shell.ts';
import type { ShellCommand, PipeUnit } from './parse/shell.ts';

/** Every RUN, including ONBUILD RUN triggers. */
export function runs(ast: DockerfileAst): Instruction[] {
  return ast.flat.filter((i) => i.keyword === 'RUN');
}

export { unwrap } from './parse/shell.ts';

/** Every command the RUN executes (nested ones too), unwrapped. */
export function commandsOf(ins: Instruction): readonly ShellCommand[] {
  return ins.commands;
}

export function pipelinesOf(ins: Instruction): (readonly PipeUnit[])[] {
  return ins.shell ? allPipelines(ins.shell) : [];
}

/**
 * True when args carry one of the flags: short letters (also inside bundles like `-qy`) or long names
 * (`--yes`, `--yes=true`).
 */
export function hasFlag(args: readonly string[], short: string, long: readonly string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a.startsWith('--')) {
      const name = a.slice(2).split('=')[0] ?? '';
      if (long.includes(name)) return true;
    } else if (short !== '' && a.startsWith('-') && a.length > 1 && !/^-[0-9]/.test(a)) {
      for (const ch of a.slice(1)) if (short.includes(ch)) return true;
    }
  }
  return false;
}

/**
 * Positional arguments after the subcommand, skipping options. `withValue` lists options that take a
 * separate value (`-o x`, `--target x`).
 */
export function positionals(args: readonly string[], withValue: readonly string[] = []): string[] {
  const out: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k] ?? '';
    if (a === '--') {
      out.push(...args.slice(k + 1));
      break;
    }
    if (a.startsWith('-')) {
      if (withValue.includes(a)) k++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** `apt-get [opts] install pkgs…` → the subcommand and the arguments after the command name. */
export function subcommand(cmd: ShellCommand, withValue: readonly string[] = []): string | undefined {
  return positionals(cmd.args, withValue)[0];
}

/** The stages whose filesystem ends up in the final image: the last one and every stage it builds FROM. */
export function shippedStages(ast: DockerfileAst): Set<number> {
  return new Set(stageChain(ast, ast.stages.length - 1).map((s) => s.index));
}

/** Stages used later: the final one and any stage another stage builds FROM (hadolint's notion for DL3009). */
export function usedStages(ast: DockerfileAst): Set<number> {
  const out = new Set<number>([ast.stages.length - 1]);
  for (const s of ast.stages) if (s.from.stageRef !== undefined) out.add(s.from.stageRef);
  return out;
}

export function mountTargets(ins: Instruction, types: readonly string[] = ['cache', 'tmpfs']): string[] {
  const out: string[] = [];
  for (const f of ins.flags) {
    if (f.name !== 'mount' || f.value === null) continue;
    const opts = new Map(f.value.split(',').map((kv) => {
      const [k, ...v] = kv.split('=');
      return [k ?? '', v.join('=')] as const;
    }));
    if (!types.includes(opts.get('type') ?? 'bind')) continue;
    const t = opts.get('target') ?? opts.get('dst') ?? opts.get('destination');
    if (t) out.push(t.replace(/\/+$/, ''));
  }
  return out;
}

/** URLs in a string. */
export function urlsIn(text: string): string[] {
  return [...text.matchAll(/\b(?:https?|ftp|s3|gs):\/\/[^\s"'`|;&)<>]+/g)].map((m) => m[0]);
}

export function hostOf(url: string): string | undefined {
  const m = /^[a-z0-9+.-]+:\/\/(?:[^@/\s]*@)?([^/:\s?#]+)/i.exec(url);
  return m?.[1]?.toLowerCase();
}

/** host matches an allowlist entry: exact, or `*.example.com` / `.example.com` suffix. */
export function hostAllowed(host: string, allow: readonly string[]): boolean {
  return allow.some((a) => {
    const e = a.toLowerCase();
    if (e.startsWith('*.')) return host.endsWith(e.slice(1));
    if (e.startsWith('.')) return host.endsWith(e);
    return host === e;
  });
}

export const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'aria2c', 'http', 'https', 'lwp-request', 'GET']);

export function isDownloader(cmd: ShellCommand): boolean {
  return DOWNLOADERS.has(cmd.name) || (cmd.name === 'busybox' && cmd.args[0] === 'wget');
}


/** Every command the RUN executes, as written (no unwrapping of sudo/env). */
export function rawCommandsOf(ins: Instruction): readonly ShellCommand[] {
  return ins.rawCommands;
}


/** The stage chain: the stage itself then each stage it builds FROM. */
export function stageChain(ast: DockerfileAst, stage: number): Stage[] {
  const out: Stage[] = [];
  let s = ast.stages[stage];
  const seen = new Set<number>();
  while (s && !seen.has(s.index)) {
    seen.add(s.index);
    out.push(s);
    s = s.from.stageRef !== undefined ? ast.stages[s.from.stageRef] : undefined;
  }
  return out;
}

/** Value of ENV `name` in effect at `ins` (same stage, earlier, or in a parent stage); undefined when unset. */
export function envAt(ast: DockerfileAst, ins: Instruction, name: string): string | undefined {
  const chain = ins.stage >= 0 ? stageChain(ast, ins.stage) : [];
  const scopes: Instruction[][] = chain.length === 0 ? [ast.flat.filter((i) => i.stage === -1)] : chain.map((s) => [...s.instructions]);
  for (let k = 0; k < scopes.length; k++) {
    const list = scopes[k] ?? [];
    for (let j = list.length - 1; j >= 0; j--) {
      const i = list[j];
      if (!i || (k === 0 && i.range.startLine >= ins.range.startLine)) continue;
      if (i.keyword !== 'ENV') continue;
      const p = [...i.pairs].reverse().find((x) => x.name === name);
      if (p) return p.value ?? '';
    }
  }
  return undefined;
}

/** Package manager subcommand and its arguments, e.g. apt-get [-y] install x → { sub: 'install', rest: [-y, x] }. */
export function pmCall(cmd: ShellCommand, withValue: readonly string[] = []): { sub: string; rest: string[] } | undefined {
  const args = cmd.args;
  for (let k = 0; k < args.length; k++) {
    const a = args[k] ?? '';
    if (a.startsWith('-')) {
      if (withValue.includes(a)) k++;
      continue;
    }
    return { sub: a, rest: [...args.slice(0, k), ...args.slice(k + 1)] };
  }
  return undefined;
}

/** apt-get -s / --simulate / --dry-run: nothing is installed, so install hygiene rules do not apply. */
export function aptSimulates(args: readonly string[]): boolean {
  return hasFlag(args, 's', ['simulate', 'just-print', 'dry-run', 'recon', 'no-act']);
}
