import type { TemplateResource } from "./cloud-assembly.ts";
import { referencedLogicalIds } from "./intrinsics.ts";

/** Resources in an order where each comes after everything it refers to or depends on. */
export function dependencyOrder(resources: Record<string, TemplateResource>): string[] {
  const ordered: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === "done") return;
    if (state.get(id) === "visiting") throw new Error(`Circular dependency: ${[...path, id].join(" → ")}`);
    state.set(id, "visiting");
    const resource = resources[id];
    if (resource) {
      const dependsOn = resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();
      const refs = [...referencedLogicalIds(resource.Properties ?? {}), ...dependsOn];
      for (const dependency of refs) if (dependency in resources && dependency !== id) visit(dependency, [...path, id]);
    }
    state.set(id, "done");
    ordered.push(id);
  };
  for (const id of Object.keys(resources).sort()) visit(id, []);
  return ordered;
}
