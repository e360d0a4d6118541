import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { createDecoupler } from './compression.ts';

describe('createDecoupler', () => {
  it('hands on every chunk in order and ends after the last one', async () => {
    const chunks = Array.from({ length: 200 }, (_, i) => Buffer.from(`chunk-${String(i)};`));
    const seen: Buffer[] = [];
    await pipeline(
      Readable.from(chunks),
      createDecoupler(64),
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          seen.push(chunk);
          callback();
        },
      }),
    );
    expect(Buffer.concat(seen).toString()).toBe(Buffer.concat(chunks).toString());
  });

  it('acknowledges writes at once below the bound and holds the writer above it', async () => {
    const stage = createDecoupler(10);
    const acked: number[] = [];
    stage.write(Buffer.alloc(4), () => acked.push(1));
    stage.write(Buffer.alloc(4), () => acked.push(2));
    stage.write(Buffer.alloc(4), () => acked.push(3)); // 12 bytes waiting: over the bound
    await new Promise((resolve) => process.nextTick(resolve));
    // the first two were acknowledged before any chunk was handed on; the third waits
    expect(acked).toEqual([1, 2]);
    const out: Buffer[] = [];
    stage.on('data', (chunk: Buffer) => out.push(chunk));
    for (let turn = 0; turn < 4; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(acked).toEqual([1, 2, 3]);
    expect(Buffer.concat(out).length).toBe(12);
  });

  it('hands a big chunk on in slices, one per turn of the event loop', async () => {
    const stage = createDecoupler(1 << 20, 256);
    const pieces: number[] = [];
    const turns: number[] = [];
    let turn = 0;
    stage.on('data', (chunk: Buffer) => {
      pieces.push(chunk.length);
      turns.push(turn);
    });
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
    stage.write(data);
    for (; turn < 6; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(pieces).toEqual([256, 256, 256, 232]);
    // no two pieces in the same turn: whatever else is due (zlib's completion callback) runs between them
    expect(new Set(turns).size).toBe(4);
  });

  it('passes a downstream failure back through the pipeline', async () => {
    await expect(
      pipeline(
        Readable.from([Buffer.from('a'), Buffer.from('b')]),
        createDecoupler(),
        new Writable({
          write(_chunk, _encoding, callback) {
            callback(new Error('downstream failed'));
          },
        }),
      ),
    ).rejects.toThrow('downstream failed');
  });
});
