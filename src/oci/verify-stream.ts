import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { AppError } from '../core/errors.ts';
import { digestAlgorithm } from '../core/digest.ts';
import type { Descriptor } from './types.ts';

/**
 * A pass-through stream that checks content against its descriptor while it flows: more bytes
 * than `size` fail at once with SIZE_MISMATCH; at the end a short stream fails with SIZE_MISMATCH
 * and a wrong hash with DIGEST_MISMATCH. The error is emitted on the stream, never swallowed, so a
 * consumer must treat everything it read as untrusted until the stream ends cleanly.
 */
export function createVerifyingStream(descriptor: Pick<Descriptor, 'digest' | 'size'>, onChunk?: (bytes: number) => void): Transform {
  const hash = createHash(digestAlgorithm(descriptor.digest));
  let received = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > descriptor.size) {
        callback(
          new AppError('SIZE_MISMATCH', 'content is larger than its descriptor says', {
            details: { expected: descriptor.size, receivedAtLeast: received, digest: descriptor.digest },
          }),
        );
        return;
      }
      hash.update(chunk);
      onChunk?.(chunk.length);
      callback(null, chunk);
    },
    flush(callback) {
      if (received !== descriptor.size) {
        callback(
          new AppError('SIZE_MISMATCH', 'content is smaller than its descriptor says', {
            details: { expected: descriptor.size, actual: received, digest: descriptor.digest },
          }),
        );
        return;
      }
      const actual = `${digestAlgorithm(descriptor.digest)}:${hash.digest('hex')}`;
      if (actual !== descriptor.digest) {
        callback(new AppError('DIGEST_MISMATCH', 'content digest does not match its descriptor', { details: { expected: descriptor.digest, actual } }));
        return;
      }
      callback();
    },
  });
}
