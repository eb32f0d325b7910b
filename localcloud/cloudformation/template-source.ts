import { parse, type Tags } from "yaml";
import type { Template } from "../deployer/cloud-assembly.ts";

export class InvalidTemplateError extends Error {
  override readonly name = "InvalidTemplateError";
}

const SHORT_FORMS = [
  "Base64", "Cidr", "FindInMap", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub",
  "And", "Equals", "If", "Not", "Or", "Contains", "EachMemberEquals", "EachMemberIn", "RefAll", "ValueOf", "ValueOfAll",
];

/** YAML's short forms (`!Ref X`, `!Sub "..."`, `!GetAtt A.B`) become the long forms CloudFormation's JSON uses. */
function shortFormTags(): Tags {
  const tags: Tags = [];
  const all: Array<[string, (value: unknown) => unknown]> = [
    ["!Ref", (value) => ({ Ref: value })],
    ["!Condition", (value) => ({ Condition: value })],
    ["!GetAtt", (value) => ({ "Fn::GetAtt": typeof value === "string" ? value.split(/\.(.*)/s).slice(0, 2) : value })],
    ...SHORT_FORMS.map((name): [string, (value: unknown) => unknown] => [`!${name}`, (value) => ({ [`Fn::${name}`]: value })]),
  ];
  for (const [tag, wrap] of all) {
    tags.push({ tag, resolve: (value: string) => wrap(value) });
    tags.push({ tag, collection: "seq", resolve: (value) => wrap((value as { toJSON(): unknown }).toJSON()) });
    tags.push({ tag, collection: "map", resolve: (value) => wrap((value as { toJSON(): unknown }).toJSON()) });
  }
  return tags;
}

const TAGS = shortFormTags();

/** A template body as CloudFormation takes it: JSON, or YAML in long or short form. */
export function parseTemplateBody(body: string): Template {
  let parsed: unknown;
  try {
    parsed = body.trimStart().startsWith("{") ? JSON.parse(body) : parse(body, { customTags: TAGS, maxAliasCount: -1 });
  } catch (error) {
    throw new InvalidTemplateError(`Template format error: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  if (parsed === null || typeof parsed !== "object" || typeof (parsed as Template).Resources !== "object") {
    throw new InvalidTemplateError("Template format error: At least one Resources member must be defined.");
  }
  return parsed as Template;
}

/**
 * Where a TemplateURL points in S3. The CDK CLI sends the virtual-hosted or path-style
 * AWS form (`https://s3.us-east-1.amazonaws.com/<bucket>/<key>`); a local endpoint's
 * path-style URL works too.
 */
export function templateObject(url: string): { bucket: string; key: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidTemplateError(`TemplateURL must be a URL, got ${url}`);
  }
  const path = decodeURIComponent(parsed.pathname).replace(/^\//, "");
  const virtualHost = parsed.hostname.match(/^(.+)\.s3[.-]/);
  if (virtualHost?.[1]) return { bucket: virtualHost[1], key: path };
  const slash = path.indexOf("/");
  if (slash <= 0) throw new InvalidTemplateError(`TemplateURL must name an S3 bucket and key, got ${url}`);
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}
