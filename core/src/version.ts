/** The version of this cig core; kept equal to core/package.json by a test. */
export const CORE_VERSION = "0.1.0";
