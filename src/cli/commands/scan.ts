import { Option } from 'commander';
import type { ScanResult, ScannedFinding } from '../../services/scan.ts';
import type { RegisterCommand } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { writeOutput } from '../render/output.ts';
import { renderTable, type Style } from '../render/table.ts';

interface ScanOptions {
  readonly db?: string;
  readonly format: 'table' | 'json' | 'sarif' | 'cyclonedx' | 'in-toto';
  readonly failOn?: 'critical' | 'high' | 'medium' | 'low' | 'none';
  readonly ignoreUnreachable?: boolean;
  readonly reachability: boolean;
  readonly vex: string[];
  readonly vexOut?: string;
  readonly platform?: string;
  readonly output?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `tollgate scan <source|sbom:FILE>`: vulnerabilities with reachability and VEX. */
export const registerScan: RegisterCommand = (program, ctx) => {
  program
    .command('scan')
    .description('match an image, folder or SBOM against the advisory database; reachability from ENTRYPOINT/CMD; VEX in and out')
    .argument('<source>', 'oci-archive:FILE, docker-archive:FILE, oci:DIR, dir:PATH, registry:REF, an image reference, or sbom:FILE (CycloneDX/SPDX JSON)')
    .option('--db <path>', 'advisory database (default: <data dir>/vuln.db; fill it with `tollgate db import`)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'sarif', 'cyclonedx', 'in-toto']).default('table'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a shown finding is at or above this severity (unknown severity counts)').choices(['critical', 'high', 'medium', 'low', 'none']))
    .option('--ignore-unreachable', 'hide findings whose package is not reachable from ENTRYPOINT/CMD (listed in the summary)')
    .option('--no-reachability', 'skip the reachability analysis (every finding reachable: unknown)')
    .option('--vex <file>', 'OpenVEX or CycloneDX VEX document: suppress the findings it marks not_affected/fixed (repeatable)', collect, [])
    .option('--platform <os/arch[/variant]>', 'platform to scan from a multi-platform image (default: linux/<host arch>)')
    .option('--vex-out <file>', 'write OpenVEX not_affected (vulnerable_code_not_in_execute_path) statements for unreachable findings')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      `
Matching: OS packages by the distro's ecosystem-and-release (Debian:12, Alpine:v3.19, AlmaLinux:9),
by source package (Debian/Ubuntu) or origin (Alpine); language packages by purl type. A version that
cannot be decided is reported as affected: unknown, never dropped. One flaw (CVE, GHSA, distro id…)
is one finding per package. Severity: CVSS v3.x computed from the vector (FIRST spec), CVSS v4,
else the ecosystem's rating; the source is shown in json/sarif/cyclonedx.

Reachability: from ENTRYPOINT+CMD, through sh -c commands, shebang interpreters, PT_INTERP and
DT_NEEDED (RPATH/RUNPATH, ld.so.conf) to the files and packages that run; npm: literal require/import
from the entry script. Not seen: dlopen(), commands built at run time, docker exec.

Formats: table, json, sarif (2.1.0), cyclonedx (1.6 with vulnerabilities),
in-toto (statement with the cosign predicate https://cosign.sigstore.dev/attestation/vuln/v1; its
subject is the image digest: for sbom:FILE, the digest the SBOM names; none (a folder) is INPUT_INVALID).

Exit codes: 0 no shown finding at or above --fail-on (or no --fail-on); 1 there is one;
2 invalid input; 3 source or database not found; see docs/cli.md#exit-codes.

Examples:
  tollgate scan oci-archive:image.tar --fail-on high
  tollgate scan oci:./layout:latest --format sarif -o scan.sarif --vex-out unreachable.vex.json
  tollgate scan sbom:sbom.cdx.json --db ./vuln.db --format json
  tollgate scan oci-archive:image.tar --vex unreachable.vex.json`,
    )
    .action(async (source: string, options: ScanOptions) => {
      const services = await ctx.services('scan');
      const progress = ctx.progress();
      let result: ScanResult;
      try {
        result = await services.scan.scan(source, {
          db: options.db,
          ignoreUnreachable: options.ignoreUnreachable === true,
          vex: options.vex,
          reachability: options.reachability,
          requireDigest: options.format === 'in-toto',
          ...(options.platform !== undefined ? { platform: options.platform } : {}),
          onProgress: (message) => progress.update(message),
        });
      } finally {
        progress.done();
      }
      const text = options.format === 'table' ? renderScanTable(result, ctx.style) : services.scan.render(result, options.format);
      await writeOutput(text, { output: options.output });
      if (options.vexOut !== undefined) await writeOutput(services.scan.vexForUnreachable(result), { output: options.vexOut });
      if (options.failOn !== undefined && services.scan.fails(result, options.failOn)) ctx.setExitCode(EXIT.gateFailed);
    });
};

function row(f: ScannedFinding): string[] {
  return [f.id, f.packageName, f.version, f.fixed.join(', ') || '-', f.severity, f.affected, f.reachable];
}

function renderScanTable(result: ScanResult, style: Style): string {
  const parts = [renderTable(['ID', 'PACKAGE', 'INSTALLED', 'FIXED', 'SEVERITY', 'AFFECTED', 'REACHABLE'], result.findings.map(row), style)];
  const s = result.stats;
  parts.push(
    '',
    `${String(result.findings.length)} findings shown (${String(s.raw)} matched in ${String(s.packages)} packages; reachable yes ${String(s.reachableYes)}, no ${String(s.reachableNo)}, unknown ${String(s.reachableUnknown)}; ${String(s.suppressed)} suppressed by VEX)`,
    `reachability: ${result.reachability.status}${result.reachability.reason !== undefined ? ` (${result.reachability.reason})` : ''}; entry ${JSON.stringify(result.reachability.argv)}`,
  );
  const suppressed = result.hidden.filter((f) => f.suppressed !== undefined);
  if (suppressed.length > 0) {
    parts.push('', style.yellow(`${String(suppressed.length)} suppressed by VEX:`));
    parts.push(renderTable(['ID', 'PACKAGE', 'STATUS', 'BY'], suppressed.map((f) => [f.id, f.packageName, `${f.suppressed?.status ?? ''}${f.suppressed?.justification !== undefined ? ` (${f.suppressed.justification})` : ''}`, f.suppressed?.by ?? '']), style));
  }
  const unreachable = result.hidden.filter((f) => f.suppressed === undefined);
  if (unreachable.length > 0) parts.push('', style.yellow(`${String(unreachable.length)} not reachable from the entry point (hidden by --ignore-unreachable)`));
  if (result.gaps.length > 0) {
    parts.push('', style.yellow(`${String(result.gaps.length)} packages could not be looked up:`));
    parts.push(renderTable(['PACKAGE', 'REASON'], result.gaps.map((g) => [g.packageId, g.reason]), style));
  }
  return parts.join('\n');
}
