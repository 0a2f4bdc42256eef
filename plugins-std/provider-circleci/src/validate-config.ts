import type { ValidateRequest, ValidateResponseSchema } from "@cig/proto";
import { type Diag, errorDiag, isJsonMap, type Json, type Reply } from "@cig/sdk";
import { parse } from "yaml";

const CONFIG_PATH = /^\.circleci\/[^/]+\.ya?ml$/;

/**
 * The validate hook: checks the merged CircleCI configs (other plugins may
 * have merged into them) for what CircleCI rejects only when a pipeline
 * starts: invalid YAML, a version other than 2.1, and `requires` naming no
 * job of the workflow.
 */
export function validateConfig(req: ValidateRequest): Reply<typeof ValidateResponseSchema> {
  const diagnostics: Diag[] = [];
  for (const file of req.rendered) {
    if (!CONFIG_PATH.test(file.path)) continue;
    let doc: Json;
    try {
      doc = parse(file.content, { prettyErrors: false }) as Json;
    } catch (e) {
      diagnostics.push(invalid(file.path, "INVALID_YAML", `${file.path} is not valid YAML`, (e as Error).message));
      continue;
    }
    if (!isJsonMap(doc)) continue;
    if (String(doc.version) !== "2.1") {
      diagnostics.push(
        invalid(file.path, "BAD_VERSION", `${file.path} is not a version 2.1 config`, `version is ${JSON.stringify(doc.version)}.`),
      );
    }
    for (const [name, wf] of Object.entries(isJsonMap(doc.workflows) ? doc.workflows : {})) {
      const entries = isJsonMap(wf) && Array.isArray(wf.jobs) ? wf.jobs : [];
      const names = new Set(entries.map(entryName));
      for (const e of entries) {
        for (const need of requiresOf(e)) {
          if (!names.has(need)) {
            const why = `${entryName(e)} requires ${need}, which is not a job of workflow ${name}; CircleCI rejects the config.`;
            diagnostics.push(invalid(file.path, "UNKNOWN_REQUIRES", `${file.path}: ${entryName(e)} requires an unknown job`, why));
          }
        }
      }
    }
  }
  return { diagnostics };
}

// A workflow entry's name: its `name`, else the job key.
function entryName(e: Json): string {
  if (typeof e === "string") return e;
  if (!isJsonMap(e)) return "";
  const [key] = Object.keys(e);
  const body = key === undefined ? undefined : e[key];
  return isJsonMap(body) && typeof body.name === "string" ? body.name : (key ?? "");
}

function requiresOf(e: Json): string[] {
  if (!isJsonMap(e)) return [];
  const body = Object.values(e)[0];
  const requires = isJsonMap(body) && Array.isArray(body.requires) ? body.requires : [];
  return requires.flatMap((r) => (typeof r === "string" ? [r] : isJsonMap(r) ? Object.keys(r) : []));
}

function invalid(path: string, code: string, title: string, message: string): Diag {
  return errorDiag(
    `PROVIDER_CIRCLECI_${code}`,
    title,
    message,
    `A plugin merged something CircleCI cannot run into ${path}: run \`cig --verbose render\` to see which fragment.`,
  );
}
