/** Where the CLI writes: results to stdout, progress and notes to stderr. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
  /** Rewrites one status line on a terminal; prints nothing elsewhere. */
  status(line: string): void;
}

/** Console-backed {@link Output}. */
export function consoleOutput(): Output {
  const tty = process.stderr.isTTY === true;
  let pending = false;
  const clear = () => {
    if (pending) {
      process.stderr.write('\r\x1b[K');
      pending = false;
    }
  };
  return {
    out(line) {
      clear();
      process.stdout.write(`${line}\n`);
    },
    err(line) {
      clear();
      process.stderr.write(`${line}\n`);
    },
    status(line) {
      if (!tty) return;
      process.stderr.write(`\r\x1b[K${line}`);
      pending = true;
    },
  };
}
