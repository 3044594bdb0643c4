import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../test/helpers.js';
import { buildSimpleCnn } from '../models/index.js';
import { getModelInfo, setModelInfo } from './index.js';

beforeAll(useCpu);

describe('model info with CT windows', () => {
  const model = buildSimpleCnn({ inputSize: 16, convBlocks: 1, filters: 2, windows: ['brain', 'file', '50/100'] });
  const info = getModelInfo(model);

  it('keeps the windows and channels of a windowed model', () => {
    expect(info.preprocessing.channels).toBe(3);
    expect(info.preprocessing.windows).toEqual(['brain', 'file', { level: 50, width: 100 }]);
  });

  it.each([
    ['an unknown window', { windows: ['brain', 'lung', 'bone'] }, /windows/],
    ['a window of width 0', { windows: ['brain', { level: 40, width: 0 }, 'bone'] }, /windows/],
    ['channels that do not match the windows', { channels: 2 }, /channels/],
    ['no windows for a 3-channel input', { windows: undefined }, /channels/],
    ['an unknown resize mode', { resize: 'fit' }, /resize/],
  ])('refuses %s with MODEL_FORMAT', (_what, change, message) => {
    setModelInfo(model, { ...info, preprocessing: { ...info.preprocessing, ...change } as typeof info.preprocessing });
    try {
      getModelInfo(model);
      expect.unreachable();
    } catch (error) {
      expect((error as { code: string }).code).toBe('MODEL_FORMAT');
      expect((error as Error).message).toMatch(message);
    } finally {
      setModelInfo(model, info);
    }
  });
});
