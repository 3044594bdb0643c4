import type { Output } from './output.js';

/** An abort signal raised by the first Ctrl-C (SIGINT) or SIGTERM; the second one exits at once. */
export interface Interrupt {
  readonly signal: AbortSignal;
  /** Stops listening for the signals. */
  dispose(): void;
}

/**
 * Turns Ctrl-C into a graceful stop: the first SIGINT or SIGTERM aborts `signal` (training stops
 * after the current batch and saves a checkpoint); a second one exits with code 130 at once.
 */
export function onInterrupt(io: Output): Interrupt {
  const controller = new AbortController();
  const handler = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      io.err(`${name} again: exiting without saving`);
      process.exit(130);
    }
    io.err(`${name}: stopping after the current batch and saving a checkpoint (press Ctrl-C again to exit at once)`);
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
