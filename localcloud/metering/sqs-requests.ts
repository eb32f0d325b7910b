/**
 * Billed SQS requests of one API call (Amazon SQS pricing, https://aws.amazon.com/sqs/pricing/):
 * every API action is a request, a batch of up to 10 messages is one request, and each
 * 64 KB chunk of a payload is billed as one request (a 256 KB payload is 4 requests).
 * The payload of a send is its message bodies and attributes; of a receive, the messages
 * returned. Attribute sizes follow SQS's message-size rule: name, data type and value.
 */
type JsonObject = Record<string, unknown>;

export const PAYLOAD_CHUNK_BYTES = 64 * 1024;

const utf8 = (text: unknown): number => (typeof text === "string" ? Buffer.byteLength(text, "utf8") : 0);

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function attributesSize(attributes: unknown): number {
  if (!isObject(attributes)) return 0;
  let bytes = 0;
  for (const [name, value] of Object.entries(attributes)) {
    if (!isObject(value)) continue;
    const binary = value["BinaryValue"];
    bytes += utf8(name) + utf8(value["DataType"]) + utf8(value["StringValue"]);
    // Base64 in JSON (the query protocol decodes to the same form); billed by its raw bytes.
    if (typeof binary === "string") bytes += Buffer.from(binary, "base64").length;
    else if (binary instanceof Uint8Array) bytes += binary.length;
  }
  return bytes;
}

/** Body plus message attributes: what SQS counts toward a message's size. */
export function messagePayloadBytes(message: JsonObject): number {
  return utf8(message["MessageBody"] ?? message["Body"]) + attributesSize(message["MessageAttributes"]);
}

export interface SqsCallUsage {
  readonly billedRequests: number;
  readonly messages: number;
  readonly emptyReceive: boolean;
}

function chunks(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / PAYLOAD_CHUNK_BYTES));
}

/** Usage of one successful call, from its input and output in the JSON protocol's shapes. */
export function sqsCallUsage(action: string, input: JsonObject, output: JsonObject): SqsCallUsage {
  const entries = Array.isArray(input["Entries"]) ? input["Entries"].filter(isObject) : [];
  switch (action) {
    case "SendMessage":
      return { billedRequests: chunks(messagePayloadBytes(input)), messages: 1, emptyReceive: false };
    case "SendMessageBatch":
      return { billedRequests: chunks(entries.reduce((sum, entry) => sum + messagePayloadBytes(entry), 0)), messages: entries.length, emptyReceive: false };
    case "ReceiveMessage": {
      const messages = Array.isArray(output["Messages"]) ? output["Messages"].filter(isObject) : [];
      const bytes = messages.reduce((sum, message) => sum + messagePayloadBytes(message), 0);
      return { billedRequests: chunks(bytes), messages: messages.length, emptyReceive: messages.length === 0 };
    }
    case "DeleteMessageBatch":
    case "ChangeMessageVisibilityBatch":
      return { billedRequests: 1, messages: entries.length, emptyReceive: false };
    case "DeleteMessage":
    case "ChangeMessageVisibility":
      return { billedRequests: 1, messages: 1, emptyReceive: false };
    default:
      return { billedRequests: 1, messages: 0, emptyReceive: false };
  }
}

/** The queue a call is about: the last segment of its QueueUrl, or its QueueName. */
export function queueNameOf(input: JsonObject): string {
  const url = input["QueueUrl"];
  if (typeof url === "string" && url !== "") return url.split("?")[0]?.split("/").filter(Boolean).pop() ?? "";
  const name = input["QueueName"];
  return typeof name === "string" ? name : "";
}
