import { CtHemorrhageError } from '../../errors/index.js';
import { writePhantomDataset, type PhantomFileFormat } from '../../node/phantom/index.js';
import { HEMORRHAGE_KINDS, type HemorrhageKind } from '../../phantom/index.js';
import { numberFlag, requiredFlag, type Command } from '../args.js';
import { consoleOutput } from '../output.js';

export const phantomsCommand: Command = {
  name: 'phantoms',
  usage: 'phantoms --out <dir> [--count 200] [--size 128] [--format png|hu-png|dicom] [options]',
  summary:
    'Writes seeded synthetic head CT slices (with labels.csv, kinds.csv and lesion masks) to a folder\n' +
    'that train and evaluate read: test data that needs no download. Not a model of real CT.',
  options: {
    out: { type: 'string', value: 'dir', help: 'Folder to write (required)' },
    count: { type: 'string', value: 'n', help: 'Slices', default: '200' },
    size: { type: 'string', value: 'px', help: 'Side of each square slice', default: '128' },
    format: { type: 'string', value: 'name', help: 'png (8-bit, brain window), hu-png (16-bit, HU + 1024) or dicom', default: 'png' },
    kinds: { type: 'string', value: 'list', help: `Hemorrhage kinds of positives, comma-separated: ${HEMORRHAGE_KINDS.join(', ')}`, default: 'all' },
    'positive-fraction': { type: 'string', value: 'f', help: 'Share of slices with a hemorrhage', default: '0.5' },
    seed: { type: 'string', value: 'n', help: 'Seed', default: '1' },
  },
  async run(values) {
    const io = consoleOutput();
    const out = requiredFlag(values, 'out', 'phantoms');
    const count = numberFlag(values, 'count', (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1');
    const size = numberFlag(values, 'size', (n) => Number.isInteger(n) && n >= 32, 'an integer >= 32');
    const positiveFraction = numberFlag(values, 'positive-fraction', (n) => n >= 0 && n <= 1, 'a number in [0, 1]');
    const seed = numberFlag(values, 'seed', Number.isInteger, 'an integer');
    const format = String(values.format) as PhantomFileFormat;
    if (!['png', 'hu-png', 'dicom'].includes(format)) {
      throw new CtHemorrhageError('BAD_INPUT', `--format must be png, hu-png or dicom; got "${format}".`, { option: 'format', received: format });
    }
    const kinds = String(values.kinds) === 'all' ? HEMORRHAGE_KINDS : (String(values.kinds).split(',').map((k) => k.trim()) as HemorrhageKind[]);
    const started = Date.now();
    const written = await writePhantomDataset(out, { count, size, format, kinds, positiveFraction, seed });
    const positives = written.phantoms.filter((p) => p.label === 1).length;
    io.err(`wrote ${written.files.length} ${format} slices (${positives} hemorrhage) to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    io.out(`${out}${format === 'hu-png' ? ' (read with --hu-offset 1024)' : ''}`);
    return 0;
  },
};
