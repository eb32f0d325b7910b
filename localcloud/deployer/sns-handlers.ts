/** AWS::SNS::Topic and AWS::SNS::Subscription, run on the local cloud's SNS (fauxqs's). */
import type { CreatedResource, DeleteInput, HandlerInput, ResourceHandler } from "./resource-handlers.ts";

/** The SNS operations the deployer needs; SnsService provides them. */
export interface SnsTarget {
  createTopic(name: string, attributes: Readonly<Record<string, string>>): Promise<string>;
  deleteTopic(topicArn: string): Promise<void>;
  subscribe(topicArn: string, protocol: string, endpoint: string, attributes: Readonly<Record<string, string>>): Promise<string>;
  unsubscribe(subscriptionArn: string): Promise<void>;
}

/** Protocols whose deliveries the local cloud makes. */
const DELIVERED_PROTOCOLS = new Set(["sqs", "lambda"]);

const TOPIC_ATTRIBUTES = ["FifoTopic", "ContentBasedDeduplication", "DisplayName", "KmsMasterKeyId", "SignatureVersion", "TracingConfig"];

const asText = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

function notEmulated(input: HandlerInput, ref: string, reason: string): CreatedResource {
  input.targets.ctx.log("deploy", `${input.logicalId}: ${reason}; accepted but not run`);
  return { ref, attributes: {}, emulated: false };
}

async function createTopic(input: HandlerInput): Promise<CreatedResource> {
  const { properties, physicalName, targets } = input;
  const fifo = properties.FifoTopic === true || properties.FifoTopic === "true";
  const name = (properties.TopicName as string | undefined) ?? (fifo ? `${physicalName(251)}.fifo` : physicalName(256));
  if (!targets.sns) return notEmulated(input, name, "no SNS is running");
  const attributes: Record<string, string> = {};
  for (const key of TOPIC_ATTRIBUTES) if (properties[key] !== undefined) attributes[key] = asText(properties[key]);
  const topicArn = await targets.sns.createTopic(name, attributes);
  // A topic's inline subscriptions (its Subscription property) are made with it.
  for (const inline of (properties.Subscription as Array<{ Protocol?: string; Endpoint?: string }> | undefined) ?? []) {
    if (inline.Protocol && inline.Endpoint) await targets.sns.subscribe(topicArn, inline.Protocol, inline.Endpoint, {});
  }
  return { ref: topicArn, attributes: { TopicArn: topicArn, TopicName: name } };
}

async function createSubscription(input: HandlerInput): Promise<CreatedResource> {
  const { properties, targets, physicalName } = input;
  const protocol = String(properties.Protocol ?? "");
  const endpoint = String(properties.Endpoint ?? "");
  const topicArn = String(properties.TopicArn ?? "");
  if (!targets.sns) return notEmulated(input, physicalName(64), "no SNS is running");
  if (!DELIVERED_PROTOCOLS.has(protocol)) return notEmulated(input, `${topicArn}:${physicalName(36)}`, `${protocol} subscriptions are not emulated (only sqs and lambda are)`);
  const attributes: Record<string, string> = {};
  if (properties.RawMessageDelivery !== undefined) attributes.RawMessageDelivery = String(properties.RawMessageDelivery);
  for (const key of ["FilterPolicy", "FilterPolicyScope", "RedrivePolicy", "DeliveryPolicy"]) {
    if (properties[key] !== undefined) attributes[key] = asText(properties[key]);
  }
  const subscriptionArn = await targets.sns.subscribe(topicArn, protocol, endpoint, attributes);
  return { ref: subscriptionArn, attributes: { Arn: subscriptionArn } };
}

export const SNS_HANDLERS: Readonly<Record<string, ResourceHandler>> = {
  "AWS::SNS::Topic": { create: createTopic, delete: async ({ physicalId, targets }: DeleteInput) => targets.sns?.deleteTopic(physicalId) },
  "AWS::SNS::Subscription": { create: createSubscription, delete: async ({ physicalId, targets }: DeleteInput) => targets.sns?.unsubscribe(physicalId) },
};
