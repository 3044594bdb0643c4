import { describe, expect, it } from 'vitest';
import { CtHemorrhageError } from '../errors/index.js';
import { applyWindow, parseWindowSpec, resolveWindow, windowBounds, windowStack, WINDOW_PRESETS } from './index.js';

describe('WINDOW_PRESETS', () => {
  it.each([
    ['brain', 40, 80],
    ['subdural', 80, 200],
    ['soft-tissue', 40, 380],
    ['bone', 600, 2800],
    ['stroke', 32, 8],
  ] as const)('%s is %i/%i', (name, level, width) => {
    expect(WINDOW_PRESETS[name]).toEqual({ level, width });
    expect(resolveWindow(name)).toEqual({ level, width });
  });
});

describe('applyWindow', () => {
  it('maps level - width/2 .. level + width/2 linearly to 0..1 and clamps', () => {
    const out = applyWindow([-1000, 0, 20, 40, 60, 80, 3000], WINDOW_PRESETS.brain);
    expect(Array.from(out)).toEqual([0, 0, 0.25, 0.5, 0.75, 1, 1]);
  });

  it('refuses a width of 0', () => {
    expect(() => applyWindow([1], { level: 40, width: 0 })).toThrow(/width > 0/);
  });
});

describe('windowStack', () => {
  it('interleaves one channel per window', () => {
    const out = windowStack([60, -1000], ['brain', 'subdural', { level: 0, width: 120 }]);
    expect(Array.from(out).map((v) => Number(v.toFixed(4)))).toEqual([0.75, 0.4, 1, 0, 0, 0]);
  });

  it("uses the image's own window for 'file' and says when there is none", () => {
    expect(Array.from(windowStack([35], ['file'], { level: 35, width: 100 }))).toEqual([0.5]);
    expect(() => windowStack([35], ['file'])).toThrow(/carries none/);
  });
});

describe('parseWindowSpec', () => {
  it.each([
    ['brain', 'brain'],
    ['file', 'file'],
    ['50/100', { level: 50, width: 100 }],
    ['-600/1500', { level: -600, width: 1500 }],
    [{ level: 35, width: 85 }, { level: 35, width: 85 }],
  ] as const)('%j', (input, expected) => {
    expect(parseWindowSpec(input)).toEqual(expected);
  });

  it.each(['lung', '40/0', '40', '', '40/-5'])('refuses %j with BAD_INPUT', (input) => {
    try {
      parseWindowSpec(input);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CtHemorrhageError);
      expect((error as CtHemorrhageError).code).toBe('BAD_INPUT');
    }
  });

  it('gives window bounds', () => {
    expect(windowBounds(WINDOW_PRESETS.bone)).toEqual([-800, 2000]);
  });
});
