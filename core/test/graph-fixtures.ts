import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { type CigSchema, CigSchemaSchema, type Job, JobSchema, type Resource, type SourceLocation, SourceLocationSchema } from "@cig/proto";

/** A Job as tests write it: a plain object, not a message. */
export type JobInit = Exclude<MessageInitShape<typeof JobSchema>, Job> & { id: string };

/** A CigSchema with the given jobs (sorted by id, as the loader delivers them) and other fields. */
export function schemaOf(jobs: JobInit[], rest: Exclude<MessageInitShape<typeof CigSchemaSchema>, CigSchema> = {}): CigSchema {
  const schema = create(CigSchemaSchema, { version: "0.2", sourcePath: "cig.toml", ...rest });
  schema.jobs = [...jobs].sort((a, b) => (a.id < b.id ? -1 : 1)).map((job) => create(JobSchema, job));
  return schema;
}

/** A matrix from axes written in order, as TOML would give them. */
export function matrix(axes: Record<string, string[]>, include: Record<string, string>[] = [], exclude: Record<string, string>[] = []) {
  return {
    axes: Object.entries(axes).map(([name, values]) => ({ name, values })),
    include: include.map((values) => ({ values })),
    exclude: exclude.map((values) => ({ values })),
  };
}

/**
 * A locator that knows every path: it puts the path itself, as JSON, in
 * `loc.path` and a line derived from it, so tests can see where a
 * diagnostic points.
 */
export function echoLocator(path: (string | number)[]): SourceLocation {
  return create(SourceLocationSchema, { path: JSON.stringify(path), line: 1, column: 1 });
}

/** A locator backed by a table of paths → "line:col" in cig.toml. */
export function tableLocator(table: Record<string, string>) {
  return (path: (string | number)[]): SourceLocation | undefined => {
    const at = table[JSON.stringify(path)];
    if (!at) return undefined;
    const [line, column] = at.split(":").map(Number);
    return create(SourceLocationSchema, { path: "cig.toml", line: line ?? 0, column: column ?? 0 });
  };
}

/** Resource ids without the "job:" prefix. */
export function ids(resources: readonly Resource[]): string[] {
  return resources.map((r) => r.id.replace(/^job:/, ""));
}

/** The JobResource of a resource (throws for other kinds). */
export function jobOf(resource: Resource | undefined) {
  if (resource?.spec.case !== "job") throw new Error(`not a job: ${resource?.id}`);
  return resource.spec.value;
}
