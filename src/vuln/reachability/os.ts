/**
 * OS-level reachability (pure; files come through a read-only tree port):
 * from the image's ENTRYPOINT + CMD (and the interpreters of scripts they run, via shebang lines;
 * commands of `sh -c STRING`), follow PT_INTERP, DT_NEEDED with DT_RPATH/DT_RUNPATH/$ORIGIN,
 * /etc/ld.so.conf(.d) and the default library folders, resolving every path through the image's
 * symlinks, to the set of reachable files.
 *
 * What it cannot see: dlopen() (NSS modules, OpenSSL providers, plug-ins), exec of commands built
 * at run time, `docker exec`. Those make "not reachable" a claim about the configured entry point only.
 */
import { isElf, readElfDynamic } from './elf.ts';
import { parentPath } from '../../image/paths.ts';

export interface ReachEntry {
  readonly path: string;
  readonly type: string;
  readonly mode: number;
  readonly linkTarget?: string;
}

/** The read-only view reachability needs; the image layer's FileTree satisfies it. */
export interface ReachTree {
  get(path: string): ReachEntry | undefined;
  resolve(path: string): ReachEntry | undefined;
  list(dir: string): readonly ReachEntry[];
  readFile(path: string): Promise<Uint8Array>;
}

export interface EntryConfig {
  readonly entrypoint?: readonly string[] | null | undefined;
  readonly cmd?: readonly string[] | null | undefined;
  readonly env?: readonly string[] | null | undefined;
  readonly workingDir?: string | undefined;
}

/** How a file was reached: from which file (undefined for the entry point) and why. */
export interface ReachStep {
  readonly from?: string;
  readonly via: string;
}

export interface OsReachability {
  /** 'unknown' when the entry point (or a command it runs) cannot be resolved. */
  readonly status: 'resolved' | 'unknown';
  readonly reason?: string;
  readonly argv: readonly string[];
  /** Canonical (symlink-resolved) path → how it was reached. */
  readonly files: ReadonlyMap<string, ReachStep>;
  /** Things noticed but not decisive (an unresolved library, dlopen caveat). */
  readonly notes: readonly string[];
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const DEFAULT_LIB_DIRS = ['/lib', '/usr/lib', '/lib64', '/usr/lib64'];
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'busybox', 'zsh', 'ksh', 'mksh']);
const SHELL_BUILTINS = new Set([
  ':', '.', '[', 'alias', 'bg', 'break', 'cd', 'command', 'continue', 'echo', 'eval', 'exec', 'exit', 'export', 'false', 'fg', 'getopts',
  'hash', 'jobs', 'kill', 'local', 'printf', 'pwd', 'read', 'readonly', 'return', 'set', 'shift', 'source', 'test', 'times', 'trap', 'true',
  'type', 'ulimit', 'umask', 'unalias', 'unset', 'wait', 'then', 'else', 'elif', 'fi', 'do', 'done', 'if', 'for', 'while', 'until', 'case', 'esac', '{', '}', '!',
]);
const MAX_FILES = 20_000;

function join(dir: string, name: string): string {
  if (name.startsWith('/')) return name;
  return `${dir === '/' ? '' : dir}/${name}`;
}

/** The shell words at command positions of a simple `sh -c` script; undefined when it uses expansion there. */
export function shellCommands(script: string): string[] | undefined {
  const out: string[] = [];
  for (const segment of script.split(/&&|\|\||[;|&\n()]/)) {
    const words = segment.trim().split(/\s+/).filter((w) => w !== '');
    // Skip leading NAME=value assignments and `exec`/`command`/`nohup`-style prefixes.
    let i = 0;
    while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i] ?? '')) i++;
    while (i < words.length && (words[i] === 'exec' || words[i] === 'command' || words[i] === 'nohup' || words[i] === 'time')) i++;
    const word = words[i];
    if (word === undefined) continue;
    if (/[$`*?]/.test(word)) return undefined;
    out.push(word.replace(/^["']|["']$/g, ''));
  }
  return out;
}

/** Paths from ld.so.conf and its includes (one level of globs `dir/*.conf`). */
async function ldSoConfDirs(tree: ReachTree): Promise<string[]> {
  const dirs: string[] = [];
  const seen = new Set<string>();
  const readConf = async (path: string, depth: number): Promise<void> => {
    if (seen.has(path) || depth > 4) return;
    seen.add(path);
    const entry = tree.resolve(path);
    if (entry === undefined || entry.type === 'dir') return;
    const text = new TextDecoder().decode(await tree.readFile(path));
    for (const raw of text.split('\n')) {
      const line = raw.replace(/#.*/, '').trim();
      if (line === '') continue;
      if (line.startsWith('include ')) {
        const pattern = line.slice('include '.length).trim();
        const abs = pattern.startsWith('/') ? pattern : join('/etc', pattern);
        const star = abs.lastIndexOf('*');
        if (star === -1) await readConf(abs, depth + 1);
        else {
          const dir = parentPath(abs);
          const suffix = abs.slice(star + 1);
          for (const child of tree.list(dir)) if (child.path.endsWith(suffix)) await readConf(child.path, depth + 1);
        }
      } else if (line.startsWith('/')) dirs.push(line);
    }
  };
  await readConf('/etc/ld.so.conf', 0);
  return dirs;
}

/** Follows the entry point to the set of reachable files. */
export async function reachableFiles(tree: ReachTree, config: EntryConfig): Promise<OsReachability> {
  const argv = [...(config.entrypoint ?? []), ...(config.cmd ?? [])];
  const files = new Map<string, ReachStep>();
  const notes: string[] = [];
  const unknown = (reason: string): OsReachability => ({ status: 'unknown', reason, argv, files, notes });
  const first = argv[0];
  if (first === undefined || first === '') return unknown('the image has no ENTRYPOINT or CMD');
  const envPath = (config.env ?? []).find((e) => e.startsWith('PATH='))?.slice(5) ?? DEFAULT_PATH;
  const pathDirs = envPath.split(':').filter((d) => d.startsWith('/'));
  const cwd = config.workingDir !== undefined && config.workingDir !== '' ? config.workingDir : '/';
  const libDirs = [...(await ldSoConfDirs(tree)), ...DEFAULT_LIB_DIRS];

  /** A command name → its canonical entry (PATH lookup for bare names). */
  const findCommand = (name: string): { path: string; asGiven: string } | undefined => {
    const candidates = name.includes('/') ? [join(cwd, name)] : pathDirs.map((d) => join(d, name));
    for (const candidate of candidates) {
      const entry = tree.resolve(candidate);
      if (entry !== undefined && entry.type !== 'dir') return { path: entry.path, asGiven: candidate };
    }
    return undefined;
  };

  const queue: string[] = [];
  const add = (path: string, step: ReachStep, asGiven?: string): void => {
    // Symlinks along the way (/bin/sh → dash) are reached too: their packages ship them.
    if (asGiven !== undefined && asGiven !== path && !files.has(asGiven) && tree.get(asGiven) !== undefined) files.set(asGiven, step);
    if (files.has(path) && files.get(path)?.via !== 'symlink') return;
    files.set(path, step);
    queue.push(path);
  };

  const entry = findCommand(first);
  if (entry === undefined) return unknown(`the entry point "${first}" is not in the image`);
  add(entry.path, { via: `argv[0] ${first}` }, entry.asGiven);
  let unresolved: string | undefined;

  // Arguments: `sh -c SCRIPT` runs the script's commands; `interp FILE` runs FILE.
  const base = first.split('/').pop() ?? first;
  const rest = argv.slice(1);
  if (SHELLS.has(base) || SHELLS.has(entry.path.split('/').pop() ?? '')) {
    const c = rest.indexOf('-c');
    if (c !== -1) {
      const script = rest[c + 1] ?? '';
      const commands = shellCommands(script);
      if (commands === undefined) unresolved = `the sh -c script uses expansion in a command position: ${script}`;
      else {
        for (const command of commands) {
          if (SHELL_BUILTINS.has(command)) continue;
          const found = findCommand(command);
          if (found === undefined) unresolved = `the command "${command}" run by the sh -c script is not in the image`;
          else add(found.path, { from: entry.path, via: `sh -c command ${command}` }, found.asGiven);
        }
      }
    }
  }
  for (const arg of rest) {
    if (arg.startsWith('-') || !(arg.startsWith('/') || arg.startsWith('./') || /\.(sh|py|js|mjs|cjs|pl|rb)$/.test(arg))) continue;
    const target = tree.resolve(join(cwd, arg));
    if (target !== undefined && target.type !== 'dir') add(target.path, { from: entry.path, via: `argument ${arg}` }, join(cwd, arg));
  }

  while (queue.length > 0 && files.size < MAX_FILES) {
    const path = queue.shift() ?? '';
    let bytes: Uint8Array;
    try {
      bytes = await tree.readFile(path);
    } catch (cause) {
      notes.push(`${path}: unreadable (${cause instanceof Error ? cause.message : String(cause)})`);
      continue;
    }
    if (isElf(bytes)) {
      const dyn = readElfDynamic(bytes);
      if (dyn === undefined) {
        notes.push(`${path}: unreadable ELF headers`);
        continue;
      }
      if (dyn.interpreter !== undefined) {
        const interp = tree.resolve(dyn.interpreter);
        if (interp === undefined) notes.push(`${path}: interpreter ${dyn.interpreter} is not in the image`);
        else add(interp.path, { from: path, via: `PT_INTERP ${dyn.interpreter}` }, dyn.interpreter);
      }
      const origin = parentPath(path);
      const expand = (dirs: readonly string[]): string[] => dirs.map((d) => d.replace(/\$(ORIGIN|\{ORIGIN\})/g, origin));
      // DT_RPATH is searched only when there is no DT_RUNPATH (ld.so(8)).
      const search = [...(dyn.runpath.length === 0 ? expand(dyn.rpath) : []), ...expand(dyn.runpath), ...libDirs];
      for (const lib of dyn.needed) {
        let found = false;
        for (const dir of lib.includes('/') ? [''] : search) {
          const candidate = lib.includes('/') ? lib : join(dir, lib);
          const target = tree.resolve(candidate);
          if (target !== undefined && target.type !== 'dir') {
            add(target.path, { from: path, via: `DT_NEEDED ${lib}` }, candidate);
            found = true;
            break;
          }
        }
        if (!found) notes.push(`${path}: DT_NEEDED ${lib} not found`);
      }
      continue;
    }
    if (bytes.length >= 2 && bytes[0] === 0x23 && bytes[1] === 0x21) {
      const line = new TextDecoder().decode(bytes.subarray(2, Math.min(bytes.length, 256))).split('\n')[0]?.trim() ?? '';
      const [interp, arg] = line.split(/\s+/);
      if (interp === undefined || interp === '') continue;
      const target = tree.resolve(interp);
      if (target === undefined) {
        unresolved ??= `${path}: shebang interpreter ${interp} is not in the image`;
        continue;
      }
      add(target.path, { from: path, via: `shebang ${interp}` }, interp);
      if (interp.endsWith('/env') && arg !== undefined && !arg.startsWith('-')) {
        const found = findCommand(arg);
        if (found === undefined) unresolved ??= `${path}: "env ${arg}" is not in the image`;
        else add(found.path, { from: path, via: `shebang env ${arg}` }, found.asGiven);
      }
    }
  }
  if (files.size >= MAX_FILES) notes.push(`stopped after ${String(MAX_FILES)} files`);
  if (unresolved !== undefined) return unknown(unresolved);
  return { status: 'resolved', argv, files, notes };
}

/** The chain of steps from the entry point to `path`, for evidence ("/bin/sh → … → libssl.so.3"). */
export function evidencePath(files: ReadonlyMap<string, ReachStep>, path: string): string[] {
  const chain: string[] = [];
  let cur: string | undefined = path;
  const seen = new Set<string>();
  while (cur !== undefined && !seen.has(cur)) {
    seen.add(cur);
    const step = files.get(cur);
    if (step === undefined) break;
    chain.unshift(`${cur} (${step.via})`);
    cur = step.from;
  }
  return chain;
}
