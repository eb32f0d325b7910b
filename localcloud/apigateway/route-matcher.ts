import type { ApiMethod, ApiResource, RestApiDefinition } from "../types.ts";

export interface RouteMatch {
  readonly resource: ApiResource;
  /** Decoded values keyed by parameter name ("proxy" for "{proxy+}"). */
  readonly pathParameters: Readonly<Record<string, string>>;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a stray "%" is kept as sent rather than failing the request
  }
}

const PARAM = /^\{([^}+]+)\}$/;
const GREEDY = /^\{([^}]+)\+\}$/;

/**
 * Finds the resource for a path as API Gateway REST does: at each level a literal
 * part wins over "{param}", which wins over a greedy "{name+}" (which needs at
 * least one segment). Built once per API definition.
 */
export class RouteMatcher {
  private readonly children = new Map<string, ApiResource[]>();
  private readonly root: ApiResource | undefined;

  constructor(definition: RestApiDefinition) {
    this.root = definition.resources.find((resource) => resource.parentId === undefined);
    for (const resource of definition.resources) {
      if (resource.parentId === undefined) continue;
      const siblings = this.children.get(resource.parentId) ?? [];
      siblings.push(resource);
      this.children.set(resource.parentId, siblings);
    }
  }

  /** `rawPath` is the path inside the stage, still URL-encoded; a trailing slash is tolerated. */
  match(rawPath: string): RouteMatch | undefined {
    if (!this.root) return undefined;
    const segments = rawPath.split("/").filter((segment) => segment !== "").map(decodeSegment);
    return this.descend(this.root, segments, {});
  }

  private descend(node: ApiResource, rest: string[], params: Record<string, string>): RouteMatch | undefined {
    const [head, ...tail] = rest;
    if (head === undefined) return { resource: node, pathParameters: params };
    const candidates = this.children.get(node.id) ?? [];
    for (const child of candidates.filter((candidate) => candidate.pathPart === head)) {
      const found = this.descend(child, tail, params);
      if (found) return found;
    }
    for (const child of candidates) {
      const name = PARAM.exec(child.pathPart ?? "")?.[1];
      if (name === undefined) continue;
      const found = this.descend(child, tail, { ...params, [name]: head });
      if (found) return found;
    }
    for (const child of candidates) {
      const name = GREEDY.exec(child.pathPart ?? "")?.[1];
      if (name !== undefined) return { resource: child, pathParameters: { ...params, [name]: rest.join("/") } };
    }
    return undefined;
  }
}

/** The method a request runs: its own verb first, then ANY. */
export function methodFor(resource: ApiResource, httpMethod: string): ApiMethod | undefined {
  return resource.methods[httpMethod.toUpperCase()] ?? resource.methods.ANY;
}
