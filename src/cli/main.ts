#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { loadConfig, readEnvironment, type AppConfig, type ConfigFlags } from '../config/index.ts';
import type { SliceName, SomeServices } from '../app/services.ts';
import { AppError, toAppError } from '../core/errors.ts';
import { lazyLogger, type Logger } from '../core/logger.ts';
import { COMMANDS } from './commands/index.ts';
import type { CliContext } from './context.ts';
import { exitCodeFor, EXIT } from './exit-codes.ts';
import { addGlobalOptions } from './globals.ts';
import { makeStyle, type Style } from './render/table.ts';
import { makeProgress } from './render/progress.ts';
import { readableStack } from './stack.ts';
import { verbOf } from './verb.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

interface GlobalOptions {
  config?: string;
  dataDir?: string;
  insecureRegistry?: string[];
  logLevel?: string;
  color?: boolean;
  progress?: boolean;
}

export async function main(argv: readonly string[]): Promise<number> {
  const env = readEnvironment();
  let exitCode: number = EXIT.ok;
  let log: Logger | undefined;
  const opened: { close(): Promise<void> }[] = [];
  let config: Promise<AppConfig> | undefined;
  const program = new Command('tollgate');
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  // Decided on first use: asking whether stdout is a terminal sets up process.stdout, which a run
  // writing its result to a file never needs.
  let style: Style | undefined;
  const styleOf = (): Style => (style ??= makeStyle(!env.noColor && Boolean(process.stdout.isTTY) && argv.indexOf('--no-color') === -1));

  const ctx: CliContext = {
    env,
    get style() {
      return styleOf();
    },
    config() {
      // the promise is kept, so callers asking at the same time share one load
      if (config === undefined) {
        const g = globals();
        const flags: ConfigFlags = {
          ...(g.config !== undefined ? { config: g.config } : {}),
          ...(g.dataDir !== undefined ? { dataDir: g.dataDir } : {}),
          ...(g.insecureRegistry !== undefined ? { insecureRegistry: g.insecureRegistry } : {}),
          ...(g.logLevel !== undefined ? { logLevel: g.logLevel } : {}),
        };
        config = loadConfig(flags);
      }
      return config;
    },
    async services<K extends SliceName>(...slices: [K, ...K[]]): Promise<SomeServices<K>> {
      const cfg = await ctx.config();
      // Loaded on first use so that --help and argument errors answer without loading every library.
      // pino is CommonJS: its default export is the factory under Node and inside the bundle alike
      const [{ buildServices }, { default: pino }] = await Promise.all([import('../app/services.ts'), import('pino')]);
      // synchronous: log lines keep their place among the other lines on standard error (errors,
      // progress), and none is lost at exit
      log ??= lazyLogger(cfg.log.level, () => pino({ level: cfg.log.level, redact: ['authorization', 'password', 'token'] }, pino.destination({ dest: 2, sync: true })) as unknown as Logger);
      const built = await buildServices(cfg, env, log, slices);
      opened.push(built);
      return built;
    },
    progress() {
      // process.stderr (set up on first access) only when progress may be drawn
      return globals().progress === false ? makeProgress(undefined, false) : makeProgress(process.stderr, true);
    },
    setExitCode(code) {
      exitCode = Math.max(exitCode, code);
    },
  };

  addGlobalOptions(program, pkg.version)
    .description('Tollgate: defend the container supply chain from Dockerfile to running container, and keep the proof.')
    // Global options go before the verb, so verbs may have options of the same name (lint --config).
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })
    .addHelpText(
      'after',
      `
Exit codes:
  0   success; the gate passed
  1   the gate said no (findings over --fail-on, policy denied, verification failed)
  2   usage error or invalid input          3   not found
  4   upstream failure (registry, network)  5   signature or digest did not verify
  6   a safety limit was exceeded           7   a required peer is unavailable
  9   conflict                              70  internal error (a bug)

Error codes are documented in docs/errors.md; every error prints its code.`,
    );

  // Only the verb the run names, when it names one: building every verb's options and help took ~2 ms
  // of each run. `--help`, `help`, no verb or an unknown one get them all (the list, "did you mean").
  const verb = verbOf(argv, program.options);
  const named = COMMANDS.filter(([name]) => name === verb);
  for (const [, register] of named.length > 0 ? named : COMMANDS) register(program, ctx);
  for (const command of program.commands) command.exitOverride();

  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    const appError = toAppError(error);
    const details = Object.entries(appError.details)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
    process.stderr.write(`${styleOf().red('error')} ${appError.code}: ${appError.message}${details ? ` (${details})` : ''}\n`);
    if (appError.kind === 'internal') {
      process.stderr.write(`${readableStack(error)}\n`);
      if (error instanceof AppError && error.cause instanceof Error) process.stderr.write(`caused by: ${readableStack(error.cause)}\n`);
    }
    return exitCodeFor(appError.kind);
  } finally {
    for (const built of opened) await built.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolvePath(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`fatal: ${String(error)}\n`);
      process.exitCode = 70;
    },
  );
}
