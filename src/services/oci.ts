import type { AppConfig, Environment } from '../config/index.ts';
import type { Logger } from '../core/logger.ts';
import {
  familiarString,
  formatReference,
  parseReference,
  type ImageReference,
  type RegistryClientOptions,
  type RegistryCredentials,
} from '../oci/index.ts';

/** What `tollgate ref` prints: the normalised parts of an image reference. */
export interface ReferenceView {
  readonly registry: string;
  readonly repository: string;
  readonly tag: string | null;
  readonly digest: string | null;
  readonly tagImplied: boolean;
  /** Fully qualified: `docker.io/library/alpine:latest`. */
  readonly canonical: string;
  /** Docker's short form, with the tag unless it was implied: `alpine`, `alpine:3.20`. */
  readonly familiar: string;
}

export interface OciServices {
  /** Parses and normalises a reference; IMAGE_REF_INVALID when it is not one. */
  describeReference(input: string): ReferenceView;
}

export interface OciDeps {
  readonly log?: Logger;
}

export function toReferenceView(ref: ImageReference): ReferenceView {
  return {
    registry: ref.registry,
    repository: ref.repository,
    tag: ref.tag ?? null,
    digest: ref.digest ?? null,
    tagImplied: ref.tagImplied,
    canonical: formatReference(ref),
    familiar: familiarString(ref),
  };
}

export function makeOciServices(_deps: OciDeps = {}): OciServices {
  return {
    describeReference: (input) => toReferenceView(parseReference(input)),
  };
}

/**
 * Registry client options from the configuration and environment (insecure hosts, retries,
 * timeout, TOLLGATE_REGISTRY_* credentials), for services that talk to registries.
 */
export function registryClientOptions(config: AppConfig, env: Environment, log?: Logger): RegistryClientOptions {
  const credentials: RegistryCredentials | undefined =
    env.registryToken !== undefined ? { token: env.registryToken } : env.registryAuth !== undefined ? { ...env.registryAuth } : undefined;
  return {
    insecure: config.registry.insecure,
    retries: config.registry.retries,
    timeoutMs: config.registry.timeoutMs,
    // Credentials are scoped: with TOLLGATE_REGISTRY_HOST set they go to that registry only; a bare
    // token is never sent without a host to scope it to (it would leak to every registry pulled from).
    ...(credentials !== undefined && (env.registryHost !== undefined || !('token' in credentials))
      ? {
          credentials: (registry: string) =>
            env.registryHost === undefined || env.registryHost === registry ? credentials : undefined,
        }
      : {}),
    ...(log !== undefined ? { logger: log } : {}),
  };
}
