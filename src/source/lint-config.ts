import * as z from 'zod/mini';
import '../core/zod.ts';
import { AppError } from '../core/errors.ts';
import type { Severity } from './finding.ts';

const level = z.enum(['error', 'warning', 'info', 'off']);

/**
 * The lint configuration file (YAML or JSON), shared by the Dockerfile and workflow linters.
 *
 *   rules:                      # by id or slug
 *     DF2005: off
 *     remote-script-piped-to-shell: warning
 *   allowlists:
 *     registries: [registry.example.com, "*.gcr.io"]
 *     downloadHosts: [github.com, "*.example.com"]
 */
export const lintConfigSchema = z.strictObject({
  rules: z.optional(z.record(z.string().check(z.minLength(1)), level)),
  allowlists: z.optional(
    z.strictObject({
      registries: z.optional(z.array(z.string().check(z.minLength(1)))),
      downloadHosts: z.optional(z.array(z.string().check(z.minLength(1)))),
    }),
  ),
  /** GitHub Actions audits: zizmor persona (regular|pedantic|auditor) and owners allowed to pin actions by tag. */
  workflows: z.optional(
    z.strictObject({
      persona: z.optional(z.enum(['regular', 'pedantic', 'auditor'])),
      refPinAllowed: z.optional(z.array(z.string().check(z.minLength(1)))),
    }),
  ),
});

export type LintConfigFile = z.infer<typeof lintConfigSchema>;

export interface LintConfig {
  /** Severity override or 'off', keyed by rule id or slug. */
  readonly rules: Readonly<Record<string, Severity | 'off'>>;
  readonly allowedRegistries: readonly string[];
  readonly allowedDownloadHosts: readonly string[];
  /** Options of the GitHub Actions audits (src/source/workflows). */
  readonly workflows?: { readonly persona?: 'regular' | 'pedantic' | 'auditor'; readonly refPinAllowed?: readonly string[] };
}

export const DEFAULT_LINT_CONFIG: LintConfig = Object.freeze({ rules: {}, allowedRegistries: [], allowedDownloadHosts: [] });

/** Validates an already-parsed config document (the caller reads and parses YAML). */
export function parseLintConfig(doc: unknown): LintConfig {
  const r = lintConfigSchema.safeParse(doc ?? {});
  if (!r.success) {
    throw new AppError('CONFIG_INVALID', 'lint configuration is invalid', {
      details: { issues: r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') },
    });
  }
  return {
    rules: r.data.rules ?? {},
    allowedRegistries: r.data.allowlists?.registries ?? [],
    allowedDownloadHosts: r.data.allowlists?.downloadHosts ?? [],
    ...(r.data.workflows !== undefined
      ? {
          workflows: {
            ...(r.data.workflows.persona !== undefined ? { persona: r.data.workflows.persona } : {}),
            ...(r.data.workflows.refPinAllowed !== undefined ? { refPinAllowed: r.data.workflows.refPinAllowed } : {}),
          },
        }
      : {}),
  };
}

/** The configured level for a rule, looked up by id then slug; undefined when not configured. */
export function configuredLevel(config: LintConfig, id: string, slug: string): Severity | 'off' | undefined {
  return config.rules[id] ?? config.rules[slug];
}
