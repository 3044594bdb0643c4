import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CtHemorrhageError } from '../errors/index.js';

/** One option of a command: its parseArgs type, help text and default. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly help: string;
  readonly default?: string;
  readonly value?: string;
}

/** A CLI command: its name, summary, options and runner. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  run(values: Record<string, string | boolean | string[] | undefined>): Promise<number>;
}

/** Usage text of one command. */
export function commandHelp(command: Command): string {
  const lines = [`Usage: ct-hemorrhage ${command.usage}`, '', command.summary, '', 'Options:'];
  for (const [name, spec] of Object.entries(command.options)) {
    const flag = spec.type === 'string' ? `--${name} <${spec.value ?? 'value'}>` : `--${name}`;
    const def = spec.default !== undefined ? ` (default: ${spec.default})` : '';
    lines.push(`  ${flag.padEnd(28)} ${spec.help}${def}`);
  }
  lines.push(`  ${'--help'.padEnd(28)} Show this help`);
  return lines.join('\n');
}

/** Parses `argv` for `command`, with errors that name the bad flag. */
export function parseCommandArgs(
  command: Command,
  argv: readonly string[],
): Record<string, string | boolean | string[] | undefined> {
  const options: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, spec] of Object.entries(command.options)) {
    options[name] = { type: spec.type, ...(spec.multiple ? { multiple: true } : {}) };
  }
  try {
    const { values } = parseArgs({ args: [...argv], options, allowPositionals: false, strict: true });
    const out = { ...values } as Record<string, string | boolean | string[] | undefined>;
    for (const [name, spec] of Object.entries(command.options)) {
      if (out[name] === undefined && spec.default !== undefined) out[name] = spec.default;
    }
    return out;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `${message}\nRun "ct-hemorrhage ${command.name} --help" for the options.`,
      { option: command.name },
      { cause },
    );
  }
}

/** Reads a numeric flag, with a clear error when it is not a number in range. */
export function numberFlag(
  values: Record<string, unknown>,
  name: string,
  check: (n: number) => boolean,
  expected: string,
): number {
  const raw = values[name];
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n) || !check(n)) {
    throw new CtHemorrhageError('BAD_INPUT', `--${name} must be ${expected}; got "${String(raw)}".`, {
      option: name,
      expected,
      received: raw,
    });
  }
  return n;
}

/** Reads a required string flag. */
export function requiredFlag(values: Record<string, unknown>, name: string, command: string): string {
  const raw = values[name];
  if (typeof raw !== 'string' || raw === '') {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `--${name} is required. Run "ct-hemorrhage ${command} --help" for the options.`,
      { option: name },
    );
  }
  return raw;
}

/** The `--threshold` option of evaluate and predict. */
export const THRESHOLD_OPTION: OptionSpec = {
  type: 'string',
  value: 'p',
  help: 'Decision threshold (default: the one saved with the model)',
};

/** `{ threshold }` from `--threshold`, or `{}` when it is not given (the model's own applies). */
export function thresholdFlag(values: Record<string, unknown>): { threshold?: number } {
  if (values.threshold === undefined) return {};
  return { threshold: numberFlag(values, 'threshold', (n) => n >= 0 && n <= 1, 'a number in [0, 1]') };
}
