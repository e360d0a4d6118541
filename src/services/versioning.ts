import { AppError } from '../core/errors.ts';
import type { Ordering } from '../versioning/scheme.ts';
import { SCHEMES, schemeFor, type AnyVersionScheme } from '../versioning/registry.ts';

/** One answered line of `version compare ECOSYSTEM -`: the ordering, or why the line was refused. */
export type CompareLineResult =
  | { readonly ok: true; readonly line: number; readonly order: Ordering }
  | { readonly ok: false; readonly line: number; readonly code: 'VERSION_INVALID'; readonly reason: string; readonly input: string };

export interface SchemeView {
  readonly id: string;
  readonly specUrl: string;
}

export interface VersioningServices {
  /** -1, 0 or 1 like `dpkg --compare-versions`; ECOSYSTEM_UNKNOWN or VERSION_INVALID otherwise. */
  compareVersions(ecosystem: string, a: string, b: string): Ordering;
  /** Compares "A B" pairs, one per line; per-line failures are results, not exceptions. */
  compareVersionLines(ecosystem: string, text: string): readonly CompareLineResult[];
  listSchemes(): readonly SchemeView[];
}

function resolveScheme(ecosystem: string): AnyVersionScheme {
  const scheme = schemeFor(ecosystem);
  if (scheme === undefined) {
    throw new AppError('ECOSYSTEM_UNKNOWN', 'no version scheme for this ecosystem', { details: { ecosystem } });
  }
  return scheme;
}

function compareWith(scheme: AnyVersionScheme, a: string, b: string): { order: Ordering } | { reason: string; input: string } {
  const left = scheme.parse(a);
  if (!left.ok) return { reason: left.error.reason, input: a };
  const right = scheme.parse(b);
  if (!right.ok) return { reason: right.error.reason, input: b };
  return { order: scheme.compare(left.value, right.value) };
}

export function makeVersioningServices(): VersioningServices {
  return {
    compareVersions(ecosystem, a, b) {
      const scheme = resolveScheme(ecosystem);
      const result = compareWith(scheme, a, b);
      if ('reason' in result) {
        throw new AppError('VERSION_INVALID', 'version does not parse in this scheme', {
          details: { scheme: scheme.id, version: result.input, reason: result.reason },
        });
      }
      return result.order;
    },

    compareVersionLines(ecosystem, text) {
      const scheme = resolveScheme(ecosystem);
      const lines = text.split(/\r?\n/);
      if (lines[lines.length - 1] === '') lines.pop();
      return lines.map((raw, index): CompareLineResult => {
        const line = index + 1;
        const fields = raw.trim().split(/\s+/).filter((f) => f !== '');
        if (fields.length !== 2) {
          return { ok: false, line, code: 'VERSION_INVALID', reason: 'expected two versions separated by whitespace', input: raw };
        }
        const result = compareWith(scheme, fields[0] ?? '', fields[1] ?? '');
        return 'reason' in result
          ? { ok: false, line, code: 'VERSION_INVALID', reason: result.reason, input: result.input }
          : { ok: true, line, order: result.order };
      });
    },

    listSchemes() {
      return Object.values(SCHEMES).map((s) => ({ id: s.id, specUrl: s.specUrl }));
    },
  };
}
