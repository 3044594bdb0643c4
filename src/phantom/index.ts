export { generatePhantoms, PHANTOM_DEFAULTS } from './phantom.js';
export type { PhantomOptions } from './phantom.js';
export { CT_PHANTOM_DEFAULTS, HEMORRHAGE_KINDS, PHANTOM_HEAD_RADIUS, PHANTOM_TISSUE_HU } from './ct-options.js';
export type { CtPhantom, CtPhantomOptions, CtPhantomsOptions, HemorrhageKind, PhantomRange } from './ct-options.js';
export { generateCtPhantom, generateCtPhantoms } from './ct-phantom.js';
