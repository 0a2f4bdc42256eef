import { CigError } from "../errors/cig-error.js";

/** What the registry needs to know of a plugin (a subset of PluginInfo). */
export interface CapabilityOwner {
  name: string;
  capabilities: readonly string[];
  requires: readonly string[];
  conflictsWith: readonly string[];
}

// Capabilities in these namespaces name an output a single plugin must own.
const EXCLUSIVE_NAMESPACES = ["provider"];

/** True when `pattern` ("lang:*", "provider:github", "*") matches `capability`. */
export function capabilityMatches(pattern: string, capability: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith(":*")) return capability.startsWith(pattern.slice(0, -1));
  return pattern === capability;
}

/**
 * The capabilities of a loaded plugin set, checked for unmet requirements,
 * declared conflicts and two owners of one exclusive capability.
 */
export class CapabilityRegistry {
  private readonly owners = new Map<string, string[]>();

  constructor(private readonly plugins: readonly CapabilityOwner[]) {
    for (const p of plugins) {
      for (const cap of new Set(p.capabilities)) this.owners.set(cap, [...(this.owners.get(cap) ?? []), p.name]);
    }
  }

  /** Every capability, sorted. */
  all(): string[] {
    return [...this.owners.keys()].sort();
  }

  /** Names of plugins providing a capability matching `pattern`, sorted. */
  providers(pattern: string): string[] {
    const names = new Set<string>();
    for (const [cap, owners] of this.owners) if (capabilityMatches(pattern, cap)) for (const o of owners) names.add(o);
    return [...names].sort();
  }

  /** Throws one CigError listing every problem, or returns when there is none. */
  check(): void {
    const unmet: string[] = [];
    const conflicts = new Set<string>();
    for (const p of this.plugins) {
      for (const req of p.requires) {
        if (this.providers(req).filter((n) => n !== p.name).length === 0) {
          unmet.push(`${p.name} requires ${req}, which no other loaded plugin provides`);
        }
      }
      for (const pattern of p.conflictsWith) {
        for (const other of this.plugins) {
          if (other.name === p.name) continue;
          const hit = other.capabilities.find((c) => capabilityMatches(pattern, c));
          if (hit)
            conflicts.add(
              `${pair(p.name, other.name)} conflict: ${p.name} declares conflicts_with ${pattern} and ${other.name} provides ${hit}`,
            );
        }
      }
    }
    for (const [cap, owners] of this.owners) {
      const ns = cap.split(":")[0] ?? "";
      if (EXCLUSIVE_NAMESPACES.includes(ns) && owners.length > 1) {
        conflicts.add(`${[...owners].sort().join(" and ")} both provide ${cap}, which only one plugin may own`);
      }
    }
    if (unmet.length > 0) {
      throw new CigError(
        "CIG_CAPABILITY_UNMET",
        `unmet plugin requirements:\n  ${unmet.join("\n  ")}`,
        "Add a plugin that provides the capability (`cig plugin add <name>`), or remove the plugin that needs it.",
        { plugin: this.plugins.map((p) => p.name).join(", ") },
      );
    }
    if (conflicts.size > 0) {
      throw new CigError(
        "CIG_CAPABILITY_CONFLICT",
        `conflicting plugins:\n  ${[...conflicts].sort().join("\n  ")}`,
        "Keep only one of the conflicting plugins in cig.toml.",
        { plugin: this.plugins.map((p) => p.name).join(", ") },
      );
    }
  }
}

function pair(a: string, b: string): string {
  return a < b ? `${a} and ${b}` : `${b} and ${a}`;
}
