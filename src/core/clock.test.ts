import { describe, expect, it } from 'vitest';
import { monotonicMs } from './clock.ts';

describe('monotonicMs', () => {
  it('never goes back and measures elapsed time in milliseconds', async () => {
    const readings = Array.from({ length: 1000 }, () => monotonicMs());
    for (let i = 1; i < readings.length; i++) expect(readings[i]).toBeGreaterThanOrEqual(readings[i - 1] as number);
    const started = monotonicMs();
    const wall = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const elapsed = monotonicMs() - started;
    expect(elapsed).toBeGreaterThanOrEqual(25);
    expect(elapsed).toBeLessThanOrEqual(Date.now() - wall + 5);
  });
});
