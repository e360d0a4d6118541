import { createHash } from 'node:crypto';
import type { Catalog } from '../model.ts';
import { conjuncts } from '../_shared/expression-text.ts';
import { byCodePoint } from '../../core/order.ts';

export interface SbomSubject {
  /** What was catalogued, as the user named it: 'oci-archive:/tmp/x.tar', 'dir:/rootfs'. */
  readonly name: string;
  /** Image manifest digest when there is one. */
  readonly digest?: string;
}

export interface SbomWriteOptions {
  readonly subject: SbomSubject;
  readonly tool: { readonly name: string; readonly version: string };
  /** Fixed serial number (derived from the content) and fixed timestamp: byte-identical output for the same input. */
  readonly reproducible?: boolean;
  /** Creation time when not reproducible. */
  readonly now?: Date;
  /** Random UUID source when not reproducible (injected so tests stay deterministic). */
  readonly randomUuid?: () => string;
}

/** The timestamp written under --reproducible (SOURCE_DATE_EPOCH = 0). */
export const REPRODUCIBLE_TIMESTAMP = '1970-01-01T00:00:00Z';

/** A v4-shaped UUID from a hash of the catalogue and subject: stable for the same input. */
export function contentUuid(catalog: Catalog, subject: SbomSubject, salt: string): string {
  const hash = createHash('sha256');
  hash.update(`${salt}\n${subject.name}\n${subject.digest ?? ''}\n`);
  // sorted: the same packages and edges give the same number whatever order the catalogue lists them in
  hash.update(catalog.packages.map((p) => `${p.id}\n${p.purl}\n`).sort(byCodePoint).join(''));
  hash.update(
    catalog.relationships
      .filter((r) => r.kind !== 'owns')
      .map((r) => `${r.kind}\0${r.from}\0${r.to}\n`)
      .sort(byCodePoint)
      .join(''),
  );
  const hex = hash.digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function resolveIdentity(catalog: Catalog, options: SbomWriteOptions, salt: string): { uuid: string; timestamp: string } {
  if (options.reproducible === true) {
    return { uuid: contentUuid(catalog, options.subject, salt), timestamp: REPRODUCIBLE_TIMESTAMP };
  }
  const uuid = options.randomUuid?.() ?? contentUuid(catalog, options.subject, `${salt}:${(options.now ?? new Date()).toISOString()}`);
  return { uuid, timestamp: (options.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z') };
}

/** One expression for formats that take a single licence field: (a) AND (b). */
export function combineLicenses(licenses: readonly string[]): string | undefined {
  if (licenses.length === 0) return undefined;
  // one licence that is itself an AND stays one when read back (conjuncts): "(A AND B)"
  if (licenses.length === 1) return conjuncts(licenses[0] as string).length > 1 ? `(${licenses[0] as string})` : licenses[0];
  return licenses.map((l) => (/\s/.test(l) ? `(${l})` : l)).join(' AND ');
}
