import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands/index.ts';
import type { CliContext } from './context.ts';
import { addGlobalOptions } from './globals.ts';
import { verbOf } from './verb.ts';

// tollgate's own global options (required values, a repeatable one, choices, negations), plus an
// optional value, a kind commander has and tollgate's globals do not (yet)
const program = addGlobalOptions(new Command('tollgate'), '0.0.0').option('--maybe [value]', '');

describe('verbOf', () => {
  it('finds the verb after global options and their values, in every form commander takes them', () => {
    const cases: [string[], string | undefined][] = [
      [['sbom', 'x'], 'sbom'],
      [['--data-dir', 'sbom', 'scan', 'x'], 'scan'], // a value that looks like a verb is a value
      [['--data-dir=/d', 'sbom'], 'sbom'],
      [['-c', 'scan', '--no-color', 'sbom'], 'sbom'],
      [['-cscan', 'sbom'], 'sbom'],
      [['--insecure-registry', 'a', '--insecure-registry', 'b', '--log-level', 'debug', 'db', 'import'], 'db'],
      [['--maybe', 'v', 'sbom'], 'sbom'],
      [['--maybe', '--no-color', 'sbom'], 'sbom'],
      [['-V'], undefined],
      [[], undefined],
      [['--no-color'], undefined],
    ];
    for (const [argv, verb] of cases) expect(verbOf(argv, program.options), argv.join(' ')).toBe(verb);
  });

  it('answers undefined when a word before the verb is not a global option (help, a typo): every verb is then registered', () => {
    for (const argv of [['--help', 'sbom'], ['-h', 'sbom'], ['--nope', 'sbom'], ['--data-dirx', 'd', 'sbom']]) {
      expect(verbOf(argv, program.options), argv.join(' ')).toBeUndefined();
    }
  });
});

describe('COMMANDS', () => {
  it('names each verb as its register function does (a run registers only the verb it names)', () => {
    const ctx = {} as CliContext; // registering only reads it when an action runs
    const names = COMMANDS.map(([name, register]) => {
      const alone = new Command('tollgate');
      register(alone, ctx);
      expect(alone.commands.map((c) => c.name())).toEqual([name]);
      return name;
    });
    expect(new Set(names).size).toBe(names.length);
  });
});
