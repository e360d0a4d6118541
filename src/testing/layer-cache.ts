/**
 * A layer cache for tests of the cache itself: it keeps every layer, however small. Crafted test
 * layers are a few hundred bytes, far under UNCACHED_BLOB_BYTES, and the CLI's default cache would read
 * them from their blobs every time, so a test meaning to replay one from the cache needs this.
 */
import { createLayerCache, type LayerCache, type LayerCacheOptions } from '../image/layer-cache.ts';

export function cacheEveryLayer(dir: string, options: LayerCacheOptions = {}): LayerCache {
  return createLayerCache(dir, { minBlobBytes: 0, ...options });
}
