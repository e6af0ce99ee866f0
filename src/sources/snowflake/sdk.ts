import type * as SnowflakeSdk from 'snowflake-sdk';

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
    sdk.configure({ logLevel: 'OFF' });
    return sdk;
  })();
  return loading;
}
