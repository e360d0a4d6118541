import { createHash } from 'node:crypto';
import { AppError } from '../core/errors.ts';
import { isJsonObject } from '../core/json.ts';

/** Predicate types, spelled as cosign writes them (cosign attest --type …). */
export const PREDICATE_TYPES = Object.freeze({
  slsa: 'https://slsa.dev/provenance/v1',
  slsa02: 'https://slsa.dev/provenance/v0.2',
  sbom: 'https://cyclonedx.org/bom',
  vuln: 'https://cosign.sigstore.dev/attestation/vuln/v1',
  openvex: 'https://openvex.dev/ns',
} as const);

export function predicateTypeFor(kind: string): string {
  if (kind.includes('://')) return kind;
  const known: Readonly<Record<string, string>> = {
    slsa: PREDICATE_TYPES.slsa,
    slsaprovenance: PREDICATE_TYPES.slsa,
    slsaprovenance1: PREDICATE_TYPES.slsa,
    slsaprovenance02: PREDICATE_TYPES.slsa02,
    sbom: PREDICATE_TYPES.sbom,
    cyclonedx: PREDICATE_TYPES.sbom,
    vuln: PREDICATE_TYPES.vuln,
    openvex: PREDICATE_TYPES.openvex,
  };
  const type = known[kind];
  if (type === undefined) {
    throw new AppError('USAGE', 'unknown attestation type', { details: { type: kind.slice(0, 60) } });
  }
  return type;
}

// ---------- SLSA Provenance v1 (https://slsa.dev/spec/v1.0/provenance) ----------

export interface ResourceDescriptor {
  readonly uri?: string;
  readonly digest?: Readonly<Record<string, string>>;
  readonly name?: string;
  readonly annotations?: Readonly<Record<string, unknown>>;
}

export interface SlsaProvenanceInput {
  readonly buildType: string;
  readonly builderId: string;
  readonly externalParameters: Readonly<Record<string, unknown>>;
  readonly internalParameters?: Readonly<Record<string, unknown>>;
  readonly resolvedDependencies?: readonly ResourceDescriptor[];
  readonly invocationId?: string;
  readonly startedOn?: string;
  readonly finishedOn?: string;
  readonly builderVersion?: Readonly<Record<string, string>>;
  readonly byproducts?: readonly ResourceDescriptor[];
}

export interface SlsaProvenanceV1 {
  readonly buildDefinition: {
    readonly buildType: string;
    readonly externalParameters: Readonly<Record<string, unknown>>;
    readonly internalParameters?: Readonly<Record<string, unknown>>;
    readonly resolvedDependencies?: readonly ResourceDescriptor[];
  };
  readonly runDetails: {
    readonly builder: { readonly id: string; readonly version?: Readonly<Record<string, string>> };
    readonly metadata?: { readonly invocationId?: string; readonly startedOn?: string; readonly finishedOn?: string };
    readonly byproducts?: readonly ResourceDescriptor[];
  };
}

export function slsaProvenanceV1(input: SlsaProvenanceInput): SlsaProvenanceV1 {
  if (input.buildType === '' || input.builderId === '') {
    throw new AppError('USAGE', 'SLSA provenance needs a buildType and a builder id');
  }
  const metadata = {
    ...(input.invocationId !== undefined ? { invocationId: input.invocationId } : {}),
    ...(input.startedOn !== undefined ? { startedOn: input.startedOn } : {}),
    ...(input.finishedOn !== undefined ? { finishedOn: input.finishedOn } : {}),
  };
  return {
    buildDefinition: {
      buildType: input.buildType,
      externalParameters: input.externalParameters,
      ...(input.internalParameters !== undefined ? { internalParameters: input.internalParameters } : {}),
      ...(input.resolvedDependencies !== undefined && input.resolvedDependencies.length > 0
        ? { resolvedDependencies: input.resolvedDependencies }
        : {}),
    },
    runDetails: {
      builder: { id: input.builderId, ...(input.builderVersion !== undefined ? { version: input.builderVersion } : {}) },
      ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
      ...(input.byproducts !== undefined && input.byproducts.length > 0 ? { byproducts: input.byproducts } : {}),
    },
  };
}

// ---------- CycloneDX SBOM ----------

/** The predicate of a CycloneDX attestation is the BOM document itself. */
export function cycloneDxPredicate(bom: unknown): Readonly<Record<string, unknown>> {
  if (!isJsonObject(bom) || bom['bomFormat'] !== 'CycloneDX' || typeof bom['specVersion'] !== 'string') {
    throw new AppError('SBOM_INVALID', 'not a CycloneDX JSON document (bomFormat/specVersion)');
  }
  return bom;
}

// ---------- cosign vulnerability predicate (https://cosign.sigstore.dev/attestation/vuln/v1) ----------

export interface VulnPredicateInput {
  readonly scanner: { readonly uri: string; readonly version: string; readonly db?: { readonly uri?: string; readonly version?: string } };
  readonly result: unknown;
  readonly scanStartedOn: string;
  readonly scanFinishedOn: string;
  readonly invocation?: { readonly parameters?: unknown; readonly uri?: string; readonly eventId?: string; readonly builderId?: string };
}

export function cosignVulnPredicate(input: VulnPredicateInput): Readonly<Record<string, unknown>> {
  return {
    invocation: {
      parameters: input.invocation?.parameters ?? null,
      uri: input.invocation?.uri ?? '',
      event_id: input.invocation?.eventId ?? '',
      'builder.id': input.invocation?.builderId ?? '',
    },
    scanner: {
      uri: input.scanner.uri,
      version: input.scanner.version,
      db: { uri: input.scanner.db?.uri ?? '', version: input.scanner.db?.version ?? '' },
      result: input.result,
    },
    metadata: { scanStartedOn: input.scanStartedOn, scanFinishedOn: input.scanFinishedOn },
  };
}

// ---------- OpenVEX v0.2.0 (https://github.com/openvex/spec) ----------
// The one OpenVEX writer, for `scan --vex-out` documents. `attest --type openvex` does not write one: it
// signs the user's predicate file after checkPredicate has checked its shape.

export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';

/** A product by id (image reference, purl…), optionally narrowed to the subcomponents (its packages) the statement is about. */
export interface VexProductInput {
  readonly id: string;
  readonly subcomponents?: readonly string[];
}

export interface VexStatementInput {
  readonly vulnerability: string;
  /** Other ids of the vulnerability; written as given (an empty list too), left out when undefined. */
  readonly aliases?: readonly string[];
  /** Product ids, or products with subcomponents. */
  readonly products: readonly (string | VexProductInput)[];
  readonly status: VexStatus;
  readonly justification?: string;
  readonly impactStatement?: string;
  readonly actionStatement?: string;
}

export interface OpenVexInput {
  /** The document's @id; without it, content-addressed: `${OPENVEX_TOLLGATE_ID}<sha256 of the statements' JSON>`. */
  readonly id?: string;
  readonly author: string;
  readonly timestamp: string;
  readonly version?: number;
  /** What produced the statements (OpenVEX `tooling`). */
  readonly tooling?: string;
  readonly statements: readonly VexStatementInput[];
}

/** Prefix of content-addressed document ids. */
export const OPENVEX_TOLLGATE_ID = 'https://openvex.dev/docs/tollgate/';

const VEX_JUSTIFICATIONS = new Set([
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
]);

function openVexStatement(s: VexStatementInput): Readonly<Record<string, unknown>> {
  if (s.status === 'not_affected' && s.justification === undefined && s.impactStatement === undefined) {
    throw new AppError('VEX_INVALID', 'a not_affected statement needs a justification or an impact statement', {
      details: { vulnerability: s.vulnerability },
    });
  }
  if (s.justification !== undefined && !VEX_JUSTIFICATIONS.has(s.justification)) {
    throw new AppError('VEX_INVALID', 'unknown VEX justification', { details: { justification: s.justification } });
  }
  if (s.status === 'affected' && s.actionStatement === undefined) {
    throw new AppError('VEX_INVALID', 'an affected statement needs an action statement', { details: { vulnerability: s.vulnerability } });
  }
  return {
    vulnerability: { name: s.vulnerability, ...(s.aliases !== undefined ? { aliases: [...s.aliases] } : {}) },
    products: s.products.map((p) =>
      typeof p === 'string'
        ? { '@id': p }
        : { '@id': p.id, ...(p.subcomponents !== undefined ? { subcomponents: p.subcomponents.map((id) => ({ '@id': id })) } : {}) },
    ),
    status: s.status,
    ...(s.justification !== undefined ? { justification: s.justification } : {}),
    ...(s.impactStatement !== undefined ? { impact_statement: s.impactStatement } : {}),
    ...(s.actionStatement !== undefined ? { action_statement: s.actionStatement } : {}),
  };
}

/** An OpenVEX v0.2.0 document; throws VEX_INVALID for a statement the spec does not allow. */
export function openVexDocument(input: OpenVexInput): Readonly<Record<string, unknown>> {
  const statements = input.statements.map(openVexStatement);
  return {
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': input.id ?? `${OPENVEX_TOLLGATE_ID}${createHash('sha256').update(JSON.stringify(statements)).digest('hex')}`,
    author: input.author,
    timestamp: input.timestamp,
    version: input.version ?? 1,
    ...(input.tooling !== undefined ? { tooling: input.tooling } : {}),
    statements,
  };
}

/**
 * Checks that a predicate has the shape of its type, whichever name or URI chose the type
 * (`cyclonedx`, `sbom` and https://cyclonedx.org/bom are one type). Any predicate must be a JSON
 * object (in-toto); types Tollgate does not know are not checked further.
 */
export function checkPredicate(predicateType: string, predicate: unknown): void {
  if (!isJsonObject(predicate)) throw new AppError('INPUT_INVALID', 'a predicate must be a JSON object');
  const need = (ok: boolean, what: string): void => {
    if (!ok) throw new AppError('INPUT_INVALID', 'the predicate does not have the shape of its type', { details: { type: predicateType, missing: what } });
  };
  switch (predicateType) {
    case PREDICATE_TYPES.slsa:
      need(isJsonObject(predicate['buildDefinition']) && isJsonObject(predicate['runDetails']), 'buildDefinition/runDetails');
      break;
    case PREDICATE_TYPES.sbom:
      cycloneDxPredicate(predicate);
      break;
    case PREDICATE_TYPES.vuln:
      need(isJsonObject(predicate['scanner']), 'scanner');
      break;
    case PREDICATE_TYPES.openvex:
      need(typeof predicate['@context'] === 'string' && Array.isArray(predicate['statements']), '@context/statements');
      break;
  }
}
