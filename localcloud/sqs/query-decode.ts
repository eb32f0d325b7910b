/**
 * Turns a query-protocol request's flattened parameters
 * (`Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=1`) into the JSON
 * protocol's input shape (`{Attributes: {VisibilityTimeout: "1"}}`).
 */
import type { JsonObject } from "./sqs-backend.ts";

/** Dotted names as nested objects; numeric keys ("1", "2") mark list positions. */
interface Tree {
  [key: string]: Tree | string;
}

/** Parameters that belong to the protocol or the signature, not to the operation. */
const ENVELOPE = /^(Action|Version|AWSAccessKeyId|Signature|SignatureMethod|SignatureVersion|Timestamp|Expires|SecurityToken|X-Amz-.*)$/;

const INTEGERS = new Set(["DelaySeconds", "MaxNumberOfMessages", "WaitTimeSeconds", "VisibilityTimeout", "MaxResults"]);

/** Flattened lists of strings: query name → JSON name. */
const STRING_LISTS: Record<string, string> = {
  AttributeName: "AttributeNames",
  MessageAttributeName: "MessageAttributeNames",
  MessageSystemAttributeName: "MessageSystemAttributeNames",
  TagKey: "TagKeys",
  StringListValue: "StringListValues",
  BinaryListValue: "BinaryListValues",
};

/** Flattened maps: query name → JSON name and the entry's key and value members. */
const MAPS: Record<string, { name: string; key: string; value: string }> = {
  Attribute: { name: "Attributes", key: "Name", value: "Value" },
  MessageAttribute: { name: "MessageAttributes", key: "Name", value: "Value" },
  MessageSystemAttribute: { name: "MessageSystemAttributes", key: "Name", value: "Value" },
  Tag: { name: "Tags", key: "Key", value: "Value" },
};

function tree(params: Iterable<[string, string]>): Tree {
  const root: Tree = {};
  for (const [name, value] of params) {
    if (ENVELOPE.test(name)) continue;
    const segments = name.split(".");
    const leaf = segments.pop() ?? name;
    let node = root;
    for (const segment of segments) {
      const child = node[segment];
      node = typeof child === "object" ? child : (node[segment] = {});
    }
    node[leaf] = value;
  }
  return root;
}

function isList(node: Tree): boolean {
  const keys = Object.keys(node);
  return keys.length > 0 && keys.every((key) => /^\d+$/.test(key));
}

/** A list's items in their 1-based order. */
function items(node: Tree): Array<Tree | string> {
  return Object.entries(node)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, item]) => item);
}

function normalize(node: Tree | string): unknown {
  if (typeof node === "string") return node;
  if (isList(node)) return items(node).map(normalize);
  const result: JsonObject = {};
  for (const [key, child] of Object.entries(node)) {
    const map = MAPS[key];
    const listName = STRING_LISTS[key];
    if (map && typeof child === "object") {
      const entries: JsonObject = {};
      for (const entry of items(child)) {
        if (typeof entry !== "object") continue;
        const name = entry[map.key];
        const value = entry[map.value];
        if (typeof name === "string" && value !== undefined) entries[name] = normalize(value);
      }
      result[map.name] = entries;
    } else if (listName && typeof child === "object") {
      result[listName] = items(child).map(normalize);
    } else if (key.endsWith("BatchRequestEntry") && typeof child === "object") {
      result["Entries"] = items(child).map(normalize);
    } else if (INTEGERS.has(key) && typeof child === "string" && /^-?\d+$/.test(child)) {
      result[key] = Number(child);
    } else {
      result[key] = normalize(child);
    }
  }
  return result;
}

export function decodeQueryParameters(action: string, params: Iterable<[string, string]>): JsonObject {
  const input = normalize(tree(params)) as JsonObject;
  // CreateQueue names its tags "tags" in the JSON protocol; TagQueue says "Tags".
  if (action === "CreateQueue" && input["Tags"] !== undefined) {
    input["tags"] = input["Tags"];
    delete input["Tags"];
  }
  return input;
}
