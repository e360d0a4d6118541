import { Option, type Command } from 'commander';

/**
 * The program's global options (they go before the verb: enablePositionalOptions), and the version
 * flag. cli/verb.ts finds the verb after them from these definitions.
 */
export function addGlobalOptions(program: Command, version: string): Command {
  return program
    .version(version, '-V, --version', 'print the version')
    .option('-c, --config <file>', 'configuration file (YAML); also TOLLGATE_CONFIG')
    .option('--data-dir <dir>', 'data folder (databases, caches, file indexes); also TOLLGATE_DATA_DIR')
    .option('--insecure-registry <host>', 'registry host reached over plain HTTP (repeatable)', (host: string, all: string[] = []) => [...all, host])
    .addOption(new Option('--log-level <level>', 'log level on standard error').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']))
    .option('--no-color', 'no colour (also when NO_COLOR is set or output is not a terminal)')
    .option('--no-progress', 'no progress display on standard error');
}
