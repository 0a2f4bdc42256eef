/**
 * @cig/sdk: write cig plugins in TypeScript.
 *
 * ```ts
 * import { definePlugin, servePlugin } from "@cig/sdk";
 * servePlugin(definePlugin({ info: { name: "acme/hello", version: "1.0.0" }, detect: () => ({}) }));
 * ```
 */

// Helpers for provider plugins (provider/github, …) and their tests.
export { isCacheKeyFile } from "./cache-key-file.js";
// Helpers for service modules (db/postgres, db/redis, ...).
export type { Declared } from "./declared-dependencies.js";
export { imageName, MANIFESTS, officialImageVersion, readDeclared } from "./declared-dependencies.js";
export { canonicalJson, deepEqual } from "./deep-equal.js";
export type { HookContext, PluginDefinition, PluginMeta, Reply } from "./define-plugin.js";
export { definePlugin } from "./define-plugin.js";
export { fakeRepo } from "./fake-repo.js";
export type {
  GenerateRequestBuilders,
  GenerateRequestInit,
  JobInit,
  RequestBuilderOptions,
  ResourceInit,
  StepInit,
} from "./generate-request-builders.js";
export { generateRequestBuilders, runStep, setupToolStep, usesStep, variantName } from "./generate-request-builders.js";
export type { CoreOffer } from "./handshake.js";
export { HANDSHAKE_VERSION, handshakeLine, NOT_FROM_CORE_MESSAGE, negotiateProtocol, readCoreOffer } from "./handshake.js";
export type { Scope as DeclaredScope } from "./interpolate-declared.js";
export { interpolateDeclared } from "./interpolate-declared.js";
export { expandJobTemplates, GRAPH_TEMPLATES, VALIDATE_WITHOUT_GRAPH } from "./job-templates.js";
export { deepMerge, fillDefaults } from "./json-merge.js";
export type { Json, JsonMap } from "./json-value.js";
export {
  compareStrings,
  isJsonMap,
  orderKeys,
  setIf,
  sortedMap,
  sortedStrings,
  sortKeysDeep,
  structToJson,
  valueToJson,
} from "./json-value.js";
export type { LogLevel, PluginLogger } from "./logger.js";
export { createLogger } from "./logger.js";
export { bindMatrixValues, matrixAxesIn } from "./matrix-values.js";
export { matrixOrVersion, setupStep } from "./module-steps.js";
export type { OutputPathOptions } from "./output-paths.js";
export { isRepoRelativePath, outputPaths } from "./output-paths.js";
export { implementedHooks } from "./plugin-hooks.js";
export type { Condition, ParsedCondition } from "./portable-condition.js";
export { formatCondition, isGlob, matchesRefGlob, PORTABLE_EVENTS, parseCondition } from "./portable-condition.js";
export type { Diag, DiagTarget, StepTarget } from "./provider-diagnostics.js";
export { emptyStepDiag, errorDiag, providerCode, warningDiag, wrongTargetDiag } from "./provider-diagnostics.js";
export type { MergeTables } from "./provider-step.js";
export { effectiveStep, isModuleRef } from "./provider-step.js";
export type { Located, RepoText } from "./repo-text.js";
export { firstValue, matchLocated, position, repoText, toolVersion } from "./repo-text.js";
/** Run-time pipelines: needs on skipped variants become their nearest running ancestors. */
export { type NeedsNode, rewireSkippedNeeds } from "./rewire-skipped-needs.js";
export type { ServeOptions } from "./serve-plugin.js";
export { servePlugin } from "./serve-plugin.js";
export type { ServiceInit } from "./service-resources.js";
export { hostPort, matrixAxis, overlay, serviceResource, urlPart, WAIT_ORDER, waitStep } from "./service-resources.js";
/** `[signatures]` with the core's defaults, for the skip machinery of providers. */
export { SIGNATURE_DEFAULTS, type SignatureSettings, signatureSettings } from "./signature-settings.js";
export type { TestHarness } from "./test-harness.js";
export { createTestHarness } from "./test-harness.js";
export { isYaml11Ambiguous } from "./yaml-ambiguous.js";
export { fitsInline, MAX_FLOW_WIDTH, YAML_WRITE_OPTIONS } from "./yaml-layout.js";
