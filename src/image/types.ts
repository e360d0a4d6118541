import type { Readable } from 'node:stream';
import type { Digest } from '../core/digest.ts';
import type { Descriptor, ImageConfig, Platform } from '../oci/types.ts';

export type FileType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo' | 'char' | 'block';

/**
 * One entry of an image's file index: the image's own manifest of files. Drift detection
 * compares running containers with it, so it is stored keyed by image digest.
 */
export interface FileEntry {
  readonly path: string; // absolute, normalised, no trailing slash: '/usr/bin/env'; root is '/'
  readonly type: FileType;
  readonly mode: number; // permission bits incl. setuid/setgid/sticky (0o7777)
  readonly uid: number;
  readonly gid: number;
  readonly size: number; // bytes for regular files (and hard links: the target's size), else 0
  readonly sha256?: string; // hex, regular files and hard links
  readonly linkTarget?: string; // symlinks: as written; hard links: the absolute path linked to
  readonly layer: string; // digest (diff id for archives, 'dir:' for folder sources) of the layer that last wrote it
  readonly mtime?: number; // seconds since epoch
}

/**
 * Read-only view of a squashed image filesystem. Analysers read through it; nothing is
 * extracted to the host disk. Paths are absolute within the image ('/etc/os-release').
 */
export interface FileTree {
  /** Every entry, sorted by path. */
  entries(): Iterable<FileEntry>;
  get(path: string): FileEntry | undefined;
  /** Follows symlinks (at most 40 hops) inside the image root, like a chroot; undefined when dangling. */
  resolve(path: string): FileEntry | undefined;
  /** Direct children of a directory, sorted. */
  list(dir: string): readonly FileEntry[];
  /** Contents of a regular file (symlinks followed). Throws SOURCE_NOT_FOUND if absent, LIMIT_FILE_SIZE if too big. */
  readFile(path: string): Promise<Buffer>;
  /**
   * What the probe `name` kept of a regular file's bytes during the image walk (symlinks followed), or
   * undefined when that probe did not run on it (folder sources, files it did not want): the caller then
   * reads the file itself.
   */
  probe?(path: string, name: string): Buffer | undefined;
  readonly size: number; // number of entries
}

/** A layer as the source describes it. */
export interface LayerInfo {
  readonly descriptor: Descriptor; // compressed blob descriptor as in the manifest
  readonly diffId?: Digest; // from the config's rootfs.diff_ids
}

/** An image as resolved from a source: manifest, config and a way to stream each layer. */
export interface ResolvedImage {
  readonly source: string; // 'oci-archive:/tmp/x.tar', as the user gave it
  readonly sourceKind: SourceKind;
  /** Digest of the image manifest (the image's identity); undefined for dir: sources. */
  readonly digest?: Digest;
  /** When the reference named an index, its digest (the platform's manifest is `digest`). */
  readonly indexDigest?: Digest;
  readonly mediaType?: string;
  readonly manifestBytes?: Buffer;
  readonly configDigest?: Digest;
  readonly configBytes?: Buffer;
  readonly config: ImageConfig;
  readonly platform?: Platform;
  readonly layers: readonly LayerInfo[];
  /** A stream of the layer blob as stored (compressed), verified against its digest while read. */
  openLayer(layer: LayerInfo): Promise<Readable>;
  /**
   * The layer blob whole, verified against its digest and size, where the source can read a blob in
   * one piece (layouts, archives, registries); the reader uses it for small layers (SMALL_LAYER_BYTES).
   */
  readonly readLayerBlob?: (layer: LayerInfo) => Promise<Buffer>;
}

export type SourceKind = 'dir' | 'oci' | 'oci-archive' | 'docker-archive' | 'registry';

export interface ResolveOptions {
  readonly platform?: Platform;
  readonly signal?: AbortSignal;
}

export interface ImageSource {
  readonly kind: SourceKind;
  readonly description: string;
  resolve(options?: ResolveOptions): Promise<ResolvedImage>;
  close(): Promise<void>;
}
