/**
 * Exact decimal text for scaled integers. Snowflake prints NUMBER(p,s) with exactly `s` fraction digits
 * and timestamps as epoch seconds with `scale` digits; both must be exact or the driver's BigNumber
 * arithmetic (and our source's normalisation) would see values the warehouse never held.
 */
export function scaledIntegerText(value: bigint, scale: number): string {
  if (scale <= 0) return value.toString();
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** Upper-case hex, the BINARY_OUTPUT_FORMAT=HEX wire form. */
export function hexText(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}
