import { PackageURL } from 'packageurl-js';

export type Qualifiers = Readonly<Record<string, string | undefined>>;

/** Builds a package URL with packageurl-js; qualifiers with undefined values are dropped, the rest sorted. */
export function buildPurl(type: string, namespace: string | undefined, name: string, version: string | undefined, qualifiers: Qualifiers = {}): string {
  const kept: Record<string, string> = {};
  for (const key of Object.keys(qualifiers).sort()) {
    const value = qualifiers[key];
    if (value !== undefined && value !== '') kept[key] = value;
  }
  const hasQualifiers = Object.keys(kept).length > 0;
  return new PackageURL(type, namespace, name, version === '' ? undefined : version, hasQualifiers ? kept : undefined, undefined).toString();
}

export interface ParsedPurl {
  readonly type: string;
  readonly namespace?: string;
  readonly name: string;
  readonly version?: string;
  readonly qualifiers: Readonly<Record<string, string>>;
}

/** Parses a purl; undefined when it is not one. */
export function parsePurl(text: string): ParsedPurl | undefined {
  try {
    const purl = PackageURL.fromString(text);
    return {
      type: purl.type,
      ...(purl.namespace ? { namespace: purl.namespace } : {}),
      name: purl.name,
      ...(purl.version ? { version: purl.version } : {}),
      qualifiers: { ...(purl.qualifiers ?? {}) },
    };
  } catch (error) {
    if (error instanceof Error) return undefined;
    throw error;
  }
}
