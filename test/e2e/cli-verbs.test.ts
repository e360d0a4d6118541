// A run registers only the verb it names (cli/main.ts, cli/verb.ts): the answers that need every verb
// (the list, "did you mean", `help VERB`) and a named verb's own help must be what they were.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.ts';
import { runTollgate } from './cli.ts';

describe('tollgate verbs', () => {
  it('lists every verb under --help, also after global options', async () => {
    for (const argv of [['--help'], ['--no-color', '--data-dir', 'sbom', '--help']]) {
      const run = await runTollgate(argv);
      expect(run.code).toBe(0);
      for (const [name] of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    }
  });

  it("answers a named verb's help, after global options too, and `help VERB` alike", async () => {
    const direct = await runTollgate(['sbom', '--help']);
    expect(direct.code).toBe(0);
    expect(direct.stdout).toMatch(/^Usage: tollgate sbom /m);
    expect(direct.stdout).toContain('--format');
    expect((await runTollgate(['--no-color', '--data-dir', '/nonexistent', 'sbom', '--help'])).stdout).toBe(direct.stdout);
    expect((await runTollgate(['help', 'sbom'])).stdout).toBe(direct.stdout);
  });

  it('suggests the verb meant for an unknown one (exit 2)', async () => {
    const run = await runTollgate(['sbmo', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'sbmo'");
    expect(run.stderr).toContain('sbom');
  });
});
