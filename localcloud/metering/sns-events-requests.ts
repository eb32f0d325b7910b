/**
 * Billed units of SNS publishes and EventBridge custom events, as AWS prices them:
 * - SNS (https://aws.amazon.com/sns/pricing/): every published message is a request, and
 *   each 64 KB chunk of its payload is billed as one; a PublishBatch of ten messages is ten
 *   requests. Deliveries to SQS queues and Lambda functions are free.
 * - EventBridge (https://aws.amazon.com/eventbridge/pricing/): every event a PutEvents call
 *   puts on a bus is billed, each 64 KB chunk of its entry as one event. An entry's size is
 *   EventBridge's own rule: 14 bytes for Time when given, plus the UTF-8 bytes of Source,
 *   DetailType, Detail and each of Resources. Delivery to targets in the account is free.
 */
import type { PublishedEntry } from "../sns/publish-entries.ts";
import { PAYLOAD_CHUNK_BYTES } from "./sqs-requests.ts";

const utf8 = (text: unknown): number => (typeof text === "string" ? Buffer.byteLength(text, "utf8") : 0);
const chunks = (bytes: number): number => Math.max(1, Math.ceil(bytes / PAYLOAD_CHUNK_BYTES));

/** Message, subject and attributes (name, data type, value): what SNS counts toward a message's size. */
export function snsMessageBytes(entry: PublishedEntry): number {
  let bytes = utf8(entry.message) + utf8(entry.subject);
  for (const [name, value] of Object.entries(entry.attributes)) {
    bytes += utf8(name) + utf8(value.DataType) + utf8(value.StringValue);
    if (value.BinaryValue !== undefined) bytes += Buffer.from(value.BinaryValue, "base64").length;
  }
  return bytes;
}

/** Billed SNS requests of the messages one Publish or PublishBatch published. */
export function snsBilledRequests(published: readonly PublishedEntry[]): number {
  return published.reduce((sum, entry) => sum + chunks(snsMessageBytes(entry)), 0);
}

/** The topic a publish names: the last part of its TopicArn (or TargetArn). */
export function topicNameOf(arn: string | null): string {
  return arn?.split(":").pop() ?? "";
}

type JsonObject = Record<string, unknown>;

/** The size EventBridge gives a PutEvents entry. */
export function eventEntryBytes(entry: JsonObject): number {
  const resources = Array.isArray(entry["Resources"]) ? entry["Resources"] : [];
  return (entry["Time"] === undefined ? 0 : 14) + utf8(entry["Source"]) + utf8(entry["DetailType"]) + utf8(entry["Detail"]) + resources.reduce((sum: number, r) => sum + utf8(r), 0);
}

/** One bus's share of a PutEvents call: the events it took and what they are billed as. */
export interface PutEventsUsage {
  readonly bus: string;
  readonly events: number;
  readonly billedEvents: number;
}

/** The bus an entry names, by name or ARN; none is the default bus. */
function busOf(entry: JsonObject): string {
  const named = entry["EventBusName"];
  if (typeof named !== "string" || named === "") return "default";
  return named.startsWith("arn:") ? (named.split(":event-bus/")[1] ?? named) : named;
}

/** Usage of a PutEvents call by bus: only the entries the answer says were put (they have an EventId). */
export function putEventsUsage(input: JsonObject, output: JsonObject): PutEventsUsage[] {
  const entries = Array.isArray(input["Entries"]) ? (input["Entries"] as JsonObject[]) : [];
  const results = Array.isArray(output["Entries"]) ? (output["Entries"] as JsonObject[]) : [];
  const byBus = new Map<string, { events: number; billedEvents: number }>();
  entries.forEach((entry, index) => {
    if (typeof results[index]?.["EventId"] !== "string") return;
    const bus = busOf(entry);
    const row = byBus.get(bus) ?? { events: 0, billedEvents: 0 };
    row.events++;
    row.billedEvents += chunks(eventEntryBytes(entry));
    byBus.set(bus, row);
  });
  return [...byBus].map(([bus, row]) => ({ bus, ...row }));
}
