/** The public surface of src/image: FileTree port, layer reading, squash, sources, readImage, file index store. */
export type { FileEntry, FileTree, FileType, ImageSource, LayerInfo, ResolvedImage, ResolveOptions, SourceKind } from './types.ts';
export { openDirTree, type DirTreeOptions } from './dir-tree.ts';
export { createMemoryTree, type ContentReader, type MemoryTreeOptions } from './memory-tree.ts';
export { normaliseLookupPath, resolveInRoot } from './paths.ts';
export { DEFAULT_IMAGE_LIMITS, resolveLimits, type ImageLimits } from './limits.ts';
export { detectCompression, type Compression } from './layer/compression.ts';
export { normaliseArchivePath, symlinkClimbsOut, type LayerEntry, type LayerEntryType } from './layer/layer-entry.ts';
export {
  readLayer,
  type EntryBody,
  type ImageCounters,
  type LayerReadResult,
  type LayerVisitor,
  type ReadLayerOptions,
} from './layer/read-layer.ts';
export { createSquash, type ContentRef, type ContentSlot, type Squash, type SquashOptions } from './squash.ts';
export { parseSource, type ParsedSource } from './sources/parse-source.ts';
export { openImageSource, SOURCE_OPENERS, type SourceDeps } from './sources/registry.ts';
export type { RegistrySourceDeps } from './sources/registry-source.ts';
export { indexTarFile, type TarIndex, type TarMember } from './sources/tar-index.ts';
export { readImage, readLayerEntries, type LayerSummary, type ReadImageOptions, type ReadImageResult, type ReadImageStats, type ReadProgress } from './read-image.ts';
export { createLayerCache, layerCacheVariant, markUsed, LAYER_READER_VERSION, UNCACHED_BLOB_BYTES, type CachedEntry, type CachedLayer, type LayerCache, type LayerCacheOptions, type LoadedLayer } from './layer-cache.ts';
export { createFileIndexStore, type FileIndexStore, type StoredFileIndex } from './file-index-store.ts';
export { anyOf, globToRegExp, isExecutable, wantPaths } from './want.ts';
export { type FileProbe, type ProbeResults, type ProbeSpec } from './probe.ts';
export { createAccessLog, layersTouch, type TreeAccessLog } from './access-log.ts';
export { readWholeFile } from './file-read.ts';
