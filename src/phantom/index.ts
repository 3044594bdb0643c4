export { generatePhantoms, PHANTOM_DEFAULTS } from './phantom.js';
export type { PhantomOptions } from './phantom.js';
export {
  CT_PHANTOM_DEFAULTS,
  generateCtPhantom,
  generateCtPhantoms,
  HEMORRHAGE_KINDS,
  PHANTOM_HEAD_RADIUS,
  PHANTOM_TISSUE_HU,
} from './ct-phantom.js';
export type { CtPhantom, CtPhantomOptions, CtPhantomsOptions, HemorrhageKind, PhantomRange } from './ct-phantom.js';
