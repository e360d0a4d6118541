import type { Option } from 'commander';

/**
 * The verb `argv` names: its first word that is neither one of the program's global `options` nor
 * such an option's value (global options go before the verb: enablePositionalOptions). Undefined when
 * there is none, or when a word before it is not a global option (help, a typo): the program's own
 * answer (its help, "unknown option") then needs every verb registered.
 */
export function verbOf(argv: readonly string[], options: readonly Option[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (!word.startsWith('-') || word === '-') return word;
    // --name=value, -cvalue: the value is in the word
    const long = word.startsWith('--');
    const flag = long ? (word.split('=', 1)[0] as string) : word.slice(0, 2);
    const attached = long ? word.includes('=') : word.length > 2;
    const option = options.find((o) => o.long === flag || o.short === flag);
    if (option === undefined) return undefined;
    const next = argv[i + 1];
    if (!attached && (option.required || (option.optional && next !== undefined && !next.startsWith('-')))) i += 1;
  }
  return undefined;
}
