import { CtHemorrhageError } from '../errors/index.js';
import { VERSION } from '../version/index.js';
import { commandHelp, parseCommandArgs, type Command } from './args.js';
import { crossvalCommand } from './commands/crossval.js';
import { evaluateCommand } from './commands/evaluate.js';
import { explainCommand } from './commands/explain.js';
import { phantomsCommand } from './commands/phantoms.js';
import { predictCommand } from './commands/predict.js';
import { trainCommand } from './commands/train.js';

const COMMANDS: readonly Command[] = [trainCommand, evaluateCommand, crossvalCommand, predictCommand, explainCommand, phantomsCommand];

function mainHelp(): string {
  return [
    `ct-hemorrhage ${VERSION}: CNNs for head CT hemorrhage classification.`,
    'For research and education only; not for diagnosis.',
    '',
    'Usage: ct-hemorrhage <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary.split('\n')[0]}`),
    '',
    'Run "ct-hemorrhage <command> --help" for the options of a command.',
  ].join('\n');
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${mainHelp()}\n`);
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${mainHelp()}\n`);
    return 2;
  }
  try {
    const values = parseCommandArgs(command, rest);
    if (values.help) {
      process.stdout.write(`${commandHelp(command)}\n`);
      return 0;
    }
    return await command.run(values);
  } catch (error) {
    if (error instanceof CtHemorrhageError) {
      process.stderr.write(`error [${error.code}]: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
