declare const __CT_HEMORRHAGE_VERSION__: string;

/** The version of this library, stamped into every saved model. */
export const VERSION: string = __CT_HEMORRHAGE_VERSION__;
