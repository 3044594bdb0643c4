import { describe, expect, it, vi } from 'vitest';

// Plots need optional peers; without them renderPlot says what to install.
vi.mock('vega-lite', () => {
  throw Object.assign(new Error("Cannot find package 'vega-lite'"), { code: 'ERR_MODULE_NOT_FOUND' });
});

describe('renderPlot without its optional peers', () => {
  it('throws MISSING_DEPENDENCY with the install command', async () => {
    const { renderPlot, PLOT_PACKAGES } = await import('./render.js');
    const error = await renderPlot({ mark: 'point' } as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MISSING_DEPENDENCY' });
    expect((error as Error).message).toContain(`npm install ${PLOT_PACKAGES}`);
  });
});
