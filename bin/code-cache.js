// Loads the CommonJS bundle (dist/cli/main.cjs, tools/build.ts), and the vendor bundles it requires, as vm.Scripts with a V8 code cache
// made after an earlier run of the same command, so the functions that run used are not parsed and
// compiled again. Node's compile cache (module.enableCompileCache) is written right after a module is
// compiled and so holds only its top-level code: every function first called during a run was
// compiled anew each run (docs/decisions/0001-node24-ts-imports.md, session 7).
//
// A code cache is code: it is only read from a folder of our own that no one else can write
// (~/.cache/tollgate/code-cache, mode 0700, owned by us), keyed by the bundle's SHA-256 (written by
// the build), its size and modification time, Node's version and architecture, and the command;
// V8 itself refuses a cache for another V8 version, flags or source length. Anything unexpected
// (no home, a folder we do not own, a write that fails) means running without a cache, never failing.
// TOLLGATE_CODE_CACHE=0 turns it off; TOLLGATE_CODE_CACHE_DIR puts it elsewhere (tests).
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import vm from 'node:vm';

/** Global options that take a value (src/cli/main.ts): the word after them is not the command. */
const VALUE_OPTIONS = new Set(['-c', '--config', '--data-dir', '--insecure-registry', '--log-level']);

/** The command a run is for (its code cache): the first word that is neither an option nor an option's value. */
export function commandOf(argv) {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (VALUE_OPTIONS.has(word)) {
      i += 1;
      continue;
    }
    if (!word.startsWith('-')) return /^[a-z][a-z0-9-]{0,31}$/.test(word) ? word : 'other';
  }
  return 'none';
}

/**
 * The cache folder, created if need be: TOLLGATE_CODE_CACHE_DIR, else ~/.cache/tollgate/code-cache
 * (or under XDG_CACHE_HOME), else, where the home cannot be written (read-only home in a container),
 * a per-user folder in the OS temp folder: without any cache the bundle would be compiled whole every
 * run. Undefined when none is usable: missing, not a folder, not ours, or writable by others.
 */
export function cacheFolder(env = process.env) {
  if (env.TOLLGATE_CODE_CACHE === '0') return undefined;
  if (env.TOLLGATE_CODE_CACHE_DIR !== undefined) return usableFolder(env.TOLLGATE_CODE_CACHE_DIR);
  const uid = process.getuid?.();
  return (
    usableFolder(() => join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tollgate', 'code-cache')) ??
    usableFolder(() => join(tmpdir(), `tollgate-code-cache-${uid === undefined ? 'user' : String(uid)}`))
  );
}

function usableFolder(where) {
  try {
    const base = typeof where === 'function' ? where() : where;
    mkdirSync(base, { recursive: true, mode: 0o700 });
    const folder = lstatSync(base);
    const uid = process.getuid?.();
    if (!folder.isDirectory() || (uid !== undefined && folder.uid !== uid) || (folder.mode & 0o022) !== 0) return undefined;
    return base;
  } catch {
    return undefined;
  }
}

/**
 * A run longer than this made its cache after several major GCs, which drop the bytecode of functions
 * not run lately (V8's bytecode flushing): such a cache can lack what start-up ran, and warm runs
 * given one were measured ~100 ms slower than with none. It is kept only until a shorter run replaces it.
 */
const LONG_RUN_MS = 1000;

/**
 * Runs the bundle at `file` and returns its exports, with `cache` saying what happened to its code
 * cache: 'used' (a long run's is replaced at exit when this run is short: see LONG_RUN_MS; a short
 * run's is rewritten by the 1st, 2nd, 4th... short run using it, with what that run compiled too),
 * 'rejected' (V8 refused it; a new one is written at exit), 'written-at-exit' (none yet), or 'off'.
 * The bundle's `require('./vendor-<name>.cjs')` (a third-party stack shipped apart: tools/build.ts
 * VENDOR_BUNDLES) loads that bundle the same way, with a code cache of its own, once.
 */
export function loadBundle(file, argv, env = process.env) {
  const folder = cacheFolder(env);
  const loaded = new Map();
  const load = (path) => {
    let bundle = loaded.get(path);
    if (bundle === undefined) {
      bundle = runScript(path, folder === undefined ? undefined : locate(folder, path, argv), load);
      loaded.set(path, bundle);
    }
    return bundle;
  };
  return load(file);
}

const VENDOR_REQUEST = /^\.\/vendor-[a-z0-9-]+\.cjs$/;

function runScript(file, where, load) {
  const raw = readFileSync(file, 'utf8');
  // the bundle's hashbang line, kept as a comment so line numbers stay as they are
  const source = raw.startsWith('#!') ? `//${raw.slice(2)}` : raw;
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  let from;
  let cachedData;
  for (const kind of where === undefined ? [] : ['short', 'long']) {
    cachedData = readCache(where[kind]);
    if (cachedData !== undefined) {
      from = kind;
      break;
    }
  }
  const script = new vm.Script(wrapped, {
    filename: file,
    ...(cachedData !== undefined ? { cachedData } : {}),
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  let cache = 'off';
  if (where !== undefined) {
    cache = cachedData === undefined ? 'written-at-exit' : script.cachedDataRejected === true ? 'rejected' : 'used';
    // made at exit, so that it holds what this run compiled
    process.once('exit', () => {
      const long = process.uptime() * 1000 > LONG_RUN_MS; // not performance.now(): its first use loads perf_hooks
      try {
        if (cache === 'used' && from === 'short') {
          // Rewritten by the 1st, 2nd, 4th, 8th... short run that used it: V8 writes what the cache held
          // plus what the run compiled, so the cache comes to hold every path the command takes (an
          // image already catalogued, one built on a catalogued base...), not only the first run's,
          // while rewriting (~10-20 ms) stays rare.
          if (long || !isPowerOfTwo(countUse(where.uses))) return;
          writeCache(where, where.short, script);
          return;
        }
        if (cache === 'used' && long) return; // a long run's cache, used by another long run: kept
        if (cache === 'rejected') rmSync(where[from], { force: true });
        writeCache(where, long ? where.long : where.short, script);
        if (!long) {
          rmSync(where.long, { force: true });
          rmSync(where.uses, { force: true });
        }
      } catch {
        return; // the cache is an optimisation: a folder that refuses a change costs only speed
      }
    });
  }
  const real = createRequire(file);
  const folder = dirname(file);
  const require = Object.assign((request) => (VENDOR_REQUEST.test(request) ? load(join(folder, request)).exports : real(request)), {
    resolve: real.resolve,
    cache: real.cache,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, require, module, file, folder);
  return { exports: module.exports, cache };
}

/** Counts one more use of the short cache in its `.uses` file (a lost or torn count only moves the next rewrite). */
function countUse(path) {
  const uses = (readCount(path) ?? 0) + 1;
  writeFileSync(path, String(uses), { mode: 0o600 });
  return uses;
}

function readCount(path) {
  try {
    return Number.parseInt(readFileSync(path, 'utf8'), 10) || 0;
  } catch {
    return undefined; // none yet
  }
}

const isPowerOfTwo = (n) => n > 0 && (n & (n - 1)) === 0;

function readCache(path) {
  try {
    return lstatSync(path).isFile() ? readFileSync(path) : undefined;
  } catch {
    return undefined; // none yet (or unreadable): this run compiles as it goes and writes one at exit
  }
}

function locate(folder, file, argv) {
  try {
    const id = readFileSync(`${file}.sha256`, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/.test(id)) return undefined;
    const { size, mtimeMs } = statSync(file);
    const name = `${id.slice(0, 32)}-${process.version}-${process.arch}-${String(size)}-${String(Math.trunc(mtimeMs))}-${commandOf(argv)}`;
    return { folder, bundles: dirname(file), short: join(folder, `${name}.v8cache`), long: join(folder, `${name}.long.v8cache`), uses: join(folder, `${name}.uses`) };
  } catch {
    return undefined;
  }
}

/** The id prefixes (cache name prefixes) of the bundles in `folder`: main.cjs and the vendor bundles beside it. */
function bundleIds(folder) {
  const ids = new Set();
  for (const name of readdirSync(folder)) {
    if (!name.endsWith('.cjs.sha256')) continue;
    const id = readFileSync(join(folder, name), 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(id)) ids.add(id.slice(0, 32));
  }
  return ids;
}

function writeCache(where, path, script) {
  const temporary = `${path}.${String(process.pid)}.tmp`;
  try {
    const data = script.createCachedData();
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
    // caches of other builds of the bundles are of no further use
    const current = bundleIds(where.bundles);
    for (const name of readdirSync(where.folder)) {
      if ((name.endsWith('.v8cache') || name.endsWith('.uses')) && !current.has(name.slice(0, 32))) rmSync(join(where.folder, name), { force: true });
    }
  } catch {
    rmSync(temporary, { force: true });
  }
}
