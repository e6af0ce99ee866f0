import type * as SnowflakeSdk from 'snowflake-sdk';
import { parseJsonExactly } from '../normalise/json.ts';

export type Sdk = typeof SnowflakeSdk;

let loading: Promise<Sdk> | undefined;

/**
 * Loads snowflake-sdk on first use. The driver probes cloud metadata endpoints (169.254.169.254,
 * metadata.google.internal) when its module loads unless platform detection is switched off first,
 * so the variable is set before the import and the import happens only when a Snowflake
 * connection actually opens; importing Ebb alone never loads the driver.
 */
export function loadSnowflakeSdk(): Promise<Sdk> {
  loading ??= (async () => {
    process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';
    const imported = (await import('snowflake-sdk')) as Sdk & { default?: Sdk };
    const sdk = imported.default ?? imported;
    // Errors reach the caller as SourceErrors; the driver's own console log would only repeat them.
    sdk.configure({ logLevel: 'OFF', jsonColumnVariantParser: parseVariantText });
    return sdk;
  })();
  return loading;
}

/**
 * The driver's parser for VARIANT, OBJECT and ARRAY text (a process-wide setting of the driver,
 * like the log level). Its default, JSON.parse, rounds numbers beyond a double's precision without
 * a word. This one hands back an InexactJsonNumber for such a document instead, which the column's
 * converter (normalise.ts) turns into an error naming the column; a throw here would only make the
 * driver try the text as XML.
 */
export function parseVariantText(text: string, context?: { onNonJsonCompliantVariant?: () => void }): unknown {
  try {
    return parseJsonExactly(text);
  } catch {
    // What the driver's default does with the non-strict JSON Snowflake prints without
    // STRICT_JSON_OUTPUT (NaN, Infinity, undefined): evaluate it as a JavaScript literal.
    const value: unknown = new Function(`return (${text});`)();
    context?.onNonJsonCompliantVariant?.();
    return value;
  }
}
