/**
 * CloudWatch's awsQuery protocol (what Debian's aws CLI v2 speaks): form parameters such as
 * `MetricData.member.1.Dimensions.member.2.Name` become nested objects and arrays, and an
 * output object becomes the XML answer, its lists wrapped in `<member>` elements.
 */
import { escapeXml } from "../query-protocol.ts";

export const CLOUDWATCH_NAMESPACE = "http://monitoring.amazonaws.com/doc/2010-08-01/";

type Tree = Record<string, unknown>;

/** Members of an output object that are maps: rendered as `<entry><key/><value/></entry>`. */
const MAP_MEMBERS = new Set(["ExtendedStatistics"]);

export function decodeQueryInput(params: URLSearchParams): Tree {
  const root: Tree = {};
  for (const [key, value] of params) {
    if (key === "Action" || key === "Version") continue;
    const path = key.split(".");
    let node: Tree = root;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i] ?? "";
      const last = i === path.length - 1;
      // "Name.member.N": Name is a list, N counts from 1.
      if (path[i + 1] === "member" && path[i + 2] !== undefined) {
        const list = (Array.isArray(node[segment]) ? node[segment] : (node[segment] = [])) as unknown[];
        const index = Number(path[i + 2]) - 1;
        if (i + 2 === path.length - 1) {
          list[index] = value;
          break;
        }
        if (typeof list[index] !== "object" || list[index] === null) list[index] = {};
        node = list[index] as Tree;
        i += 2;
        continue;
      }
      if (last) node[segment] = value;
      else node = (typeof node[segment] === "object" && node[segment] !== null ? node[segment] : (node[segment] = {})) as Tree;
    }
  }
  return compact(root) as Tree;
}

/** Drops the holes a sparse member numbering leaves. */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== undefined).map(compact);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, compact(item)]));
  return value;
}

function element(name: string, value: unknown): string {
  if (value === undefined || value === null) return "";
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (Array.isArray(value)) return `<${name}>${value.map((item) => element("member", item)).join("")}</${name}>`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Tree);
    if (MAP_MEMBERS.has(name)) return `<${name}>${entries.map(([key, item]) => `<entry><key>${escapeXml(key)}</key>${element("value", item)}</entry>`).join("")}</${name}>`;
    return `<${name}>${entries.map(([key, item]) => element(key, item)).join("")}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** The inside of `<ActionResult>`. */
export function encodeQueryOutput(output: Tree): string {
  return Object.entries(output).map(([key, value]) => element(key, value)).join("");
}
