import type { JobResource, JobTemplate, Resource } from "@cig/proto";

/** The protocol feature the SDK implements for every plugin (see PluginInfo.features). */
export const GRAPH_TEMPLATES = "graph-templates";

/**
 * The protocol feature a plugin lists (PluginMeta.features) when its validate
 * hook never reads `graph` or `job_templates`: the core then leaves both empty
 * in ValidateRequest, which at 5,000 variants is most of the message.
 */
export const VALIDATE_WITHOUT_GRAPH = "validate-without-graph";

/**
 * Turns a request's templated job variants back into whole ones, before a
 * hook sees the request: each variant with `template` set becomes that
 * template's job with the variant's own job_id, matrix and needs. Variants
 * share the template's messages (steps, services, maps): hooks treat
 * requests as read-only. The variant's needs are the template's when it has
 * any (then every variant needs the same jobs), else the variant's own. A variant naming a template the request lacks is
 * left as it is (a core bug the provider will report as an empty job).
 */
export function expandJobTemplates(req: { graph: Resource[]; jobTemplates: JobTemplate[] }): void {
  if (req.jobTemplates.length === 0) return;
  const templates = new Map(req.jobTemplates.map((t) => [t.id, t.job]));
  for (const r of req.graph) {
    if (r.spec.case !== "job" || r.spec.value.template === "") continue;
    const variant = r.spec.value;
    const template = templates.get(variant.template);
    if (!template) continue;
    // A template carries needs only when every variant needs the same jobs; the variant then carries none.
    const needs = template.needs.length > 0 ? template.needs : variant.needs;
    const whole: JobResource = { ...template, jobId: variant.jobId, matrix: variant.matrix, needs, template: "" };
    r.spec = { case: "job", value: whole };
  }
  req.jobTemplates = [];
}
