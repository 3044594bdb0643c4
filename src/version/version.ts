declare const __CT_HEMORRHAGE_VERSION__: string | undefined;

/** The version of this library, stamped into every saved model (`0.0.0-dev` when run from source unbundled). */
export const VERSION: string =
  typeof __CT_HEMORRHAGE_VERSION__ === 'string' ? __CT_HEMORRHAGE_VERSION__ : '0.0.0-dev';
