import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.ts';
import type { Digest } from '../core/digest.ts';
import { createVerifyingStream } from './verify-stream.ts';

const data = randomBytes(100_000);
const digest: Digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function run(chunks: Buffer[], descriptor: { digest: Digest; size: number }): Promise<{ bytes: number; code?: string }> {
  let bytes = 0;
  try {
    await pipeline(Readable.from(chunks), createVerifyingStream(descriptor), async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) bytes += chunk.length;
    });
  } catch (error) {
    return { bytes, code: isAppError(error) ? error.code : String(error) };
  }
  return { bytes };
}

const split = (b: Buffer, n: number): Buffer[] => Array.from({ length: Math.ceil(b.length / n) }, (_, i) => b.subarray(i * n, (i + 1) * n));

describe('createVerifyingStream', () => {
  it('passes matching content through', async () => {
    expect(await run(split(data, 4096), { digest, size: data.length })).toEqual({ bytes: data.length });
    const sha512: Digest = `sha512:${createHash('sha512').update(data).digest('hex')}`;
    expect(await run([data], { digest: sha512, size: data.length })).toEqual({ bytes: data.length });
  });

  it('fails with DIGEST_MISMATCH on a flipped byte', async () => {
    const bad = Buffer.from(data);
    bad[500] = (bad[500] ?? 0) ^ 1;
    expect((await run(split(bad, 4096), { digest, size: data.length })).code).toBe('DIGEST_MISMATCH');
  });

  it('fails with SIZE_MISMATCH when short, and as soon as content runs over', async () => {
    expect((await run([data.subarray(0, 10)], { digest, size: data.length })).code).toBe('SIZE_MISMATCH');
    const over = await run(split(Buffer.concat([data, data]), 4096), { digest, size: data.length });
    expect(over.code).toBe('SIZE_MISMATCH');
    expect(over.bytes).toBeLessThanOrEqual(data.length);
  });
});
