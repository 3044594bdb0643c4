import { AUGMENT_PRESETS, type AugmentOptions } from '../augment/index.js';
import { CtHemorrhageError } from '../errors/index.js';
import { ARCHITECTURES, type ArchitectureName } from '../models/index.js';
import { numberFlag } from './args.js';

/** The training flags `train` and `crossval` share, parsed and checked. */
export interface TrainingFlags {
  readonly arch: ArchitectureName;
  readonly size: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
  readonly patience: number;
  readonly phantoms: number;
  readonly classWeight: 'balanced' | 'none';
  readonly augment: AugmentOptions | undefined;
  /** `none`, `ct` or `reference`, as given. */
  readonly augmentName: string;
  /** `undefined` for `--threads auto`. */
  readonly threads: number | undefined;
}

/** Parses the shared training flags, with errors that name the bad flag. */
export function trainingFlags(values: Record<string, unknown>): TrainingFlags {
  const arch = String(values.arch) as ArchitectureName;
  if (!(arch in ARCHITECTURES)) {
    throw new CtHemorrhageError('BAD_INPUT', `--arch must be one of ${Object.keys(ARCHITECTURES).join(', ')}; got "${arch}".`, {
      option: 'arch',
      received: arch,
    });
  }
  const classWeight = String(values['class-weight']);
  if (classWeight !== 'balanced' && classWeight !== 'none') {
    throw new CtHemorrhageError('BAD_INPUT', `--class-weight must be balanced or none; got "${classWeight}".`, {
      option: 'class-weight',
      received: classWeight,
    });
  }
  const augmentName = String(values.augment);
  if (augmentName !== 'none' && !(augmentName in AUGMENT_PRESETS)) {
    throw new CtHemorrhageError('BAD_INPUT', `--augment must be none, ct or reference; got "${augmentName}".`, {
      option: 'augment',
      received: augmentName,
    });
  }
  const threadsFlag = String(values.threads);
  return {
    arch,
    size: numberFlag(values, 'size', (n) => Number.isInteger(n) && n >= 16, 'an integer >= 16'),
    epochs: numberFlag(values, 'epochs', (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1'),
    batchSize: numberFlag(values, 'batch-size', (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1'),
    learningRate: numberFlag(values, 'learning-rate', (n) => n > 0, 'a number > 0'),
    seed: numberFlag(values, 'seed', Number.isInteger, 'an integer'),
    patience: numberFlag(values, 'patience', (n) => Number.isInteger(n) && n >= 0, 'an integer >= 0'),
    phantoms: numberFlag(values, 'phantoms', (n) => Number.isInteger(n) && n >= 10, 'an integer >= 10'),
    classWeight,
    augmentName,
    augment: augmentName === 'none' ? undefined : AUGMENT_PRESETS[augmentName as keyof typeof AUGMENT_PRESETS],
    threads: threadsFlag === 'auto' ? undefined : numberFlag(values, 'threads', (t) => Number.isInteger(t) && t >= 1, 'auto or an integer >= 1'),
  };
}
