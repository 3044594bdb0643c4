import { CtHemorrhageError } from '../errors/index.js';

const FNV128_OFFSET = 0x6c62272e07bb014262b821756295c58dn;
const FNV128_PRIME = 0x0000000001000000000000000000013bn;
const MASK128 = (1n << 128n) - 1n;

/**
 * A deterministic DICOM UID under the root `2.25.` (the UUID-derived root of PS3.5 B.2): the
 * 128-bit FNV-1a hash of `parts` written in decimal. The same parts always give the same UID;
 * different parts give different UIDs (up to hash collisions, about 2^-64 per pair).
 * {@link writeDicom} derives its default Study, Series and SOP Instance UIDs with it.
 *
 * @example
 * ```ts
 * dicomUid('series', 'PHANTOM-001');     // '2.25.' followed by up to 39 digits
 * dicomUid('a') === dicomUid('a');       // true
 * dicomUid('sop', 1) === dicomUid('sop', 2); // false
 * ```
 */
export function dicomUid(...parts: readonly (string | number)[]): string {
  const bytes = new TextEncoder().encode(parts.map((p) => String(p)).join('\u0000'));
  let h = FNV128_OFFSET;
  for (const b of bytes) h = ((h ^ BigInt(b)) * FNV128_PRIME) & MASK128;
  return `2.25.${h.toString(10)}`;
}

const UID_PATTERN = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;

/** Throws `BAD_INPUT` unless `uid` is a valid DICOM UID (digits and dots, no leading zeros, at most 64 characters). */
export function checkUid(uid: string, option: string): string {
  if (typeof uid !== 'string' || uid.length > 64 || !UID_PATTERN.test(uid)) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `${option} must be a DICOM UID (digits separated by dots, no leading zeros, at most 64 characters), such as ` +
        `"2.25.123456789"; got ${JSON.stringify(uid)}. Leave it out to get a generated one.`,
      { option, expected: 'DICOM UID', received: uid },
    );
  }
  return uid;
}
