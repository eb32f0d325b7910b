/**
 * Renders a JSON-protocol output as the query protocol's XML answer
 * (`<ListQueuesResponse><ListQueuesResult><QueueUrl>…`).
 */
import { randomUUID } from "node:crypto";
import { escapeXml } from "../query-protocol.ts";
import type { JsonObject } from "./sqs-backend.ts";

export const SQS_XML_NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";

/** Operations whose answer has no Result element. */
const NO_RESULT = new Set([
  "DeleteQueue", "SetQueueAttributes", "DeleteMessage", "ChangeMessageVisibility", "PurgeQueue", "TagQueue", "UntagQueue",
]);

/** JSON list member → the element each item is flattened into. */
const LIST_ELEMENTS: Record<string, string> = {
  QueueUrls: "QueueUrl",
  queueUrls: "QueueUrl",
  Messages: "Message",
  Failed: "BatchResultErrorEntry",
  StringListValues: "StringListValue",
  BinaryListValues: "BinaryListValue",
};

/** JSON map member → the flattened entry element and its key and value elements. */
const MAP_ELEMENTS: Record<string, { entry: string; key: string; value: string }> = {
  Attributes: { entry: "Attribute", key: "Name", value: "Value" },
  MessageAttributes: { entry: "MessageAttribute", key: "Name", value: "Value" },
  Tags: { entry: "Tag", key: "Key", value: "Value" },
};

function element(name: string, value: unknown, action: string): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) {
    // Batch operations answer with SendMessageBatchResultEntry, DeleteMessageBatchResultEntry, …
    const itemName = name === "Successful" ? `${action}ResultEntry` : (LIST_ELEMENTS[name] ?? name);
    return value.map((item) => element(itemName, item, action)).join("");
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as JsonObject);
    const map = MAP_ELEMENTS[name];
    if (map) {
      return entries
        .map(([key, item]) => `<${map.entry}><${map.key}>${escapeXml(key)}</${map.key}>${element(map.value, item, action)}</${map.entry}>`)
        .join("");
    }
    return `<${name}>${entries.map(([key, item]) => element(key, item, action)).join("")}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function encodeQueryResponse(action: string, output: JsonObject): string {
  const result = NO_RESULT.has(action)
    ? ""
    : `<${action}Result>${Object.entries(output).map(([key, value]) => element(key, value, action)).join("")}</${action}Result>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${SQS_XML_NAMESPACE}">${result}` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`
  );
}
