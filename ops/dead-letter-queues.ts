/** Which dead-letter queues exist and which source queue each one belongs to. */
import { GetQueueAttributesCommand, ListQueuesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { UnknownQueueError } from "./errors.ts";
import type { StackOutputs } from "./environment.ts";

export interface DeadLetterQueuePair {
  /** "orders", "push", "email", or the DLQ's queue name when it was discovered and has no stack name. */
  readonly name: string;
  readonly deadLetterQueueUrl: string;
  readonly sourceQueueUrl: string;
  readonly fifo: boolean;
}

const queueNameOf = (url: string): string => url.slice(url.lastIndexOf("/") + 1);

/** The stack names its outputs `<Name>QueueUrl` and `<Name>DeadLetterQueueUrl`. */
export function pairsFromOutputs(outputs: StackOutputs): DeadLetterQueuePair[] {
  const pairs: DeadLetterQueuePair[] = [];
  for (const [key, deadLetterQueueUrl] of Object.entries(outputs)) {
    const match = /^(\w+)DeadLetterQueueUrl$/.exec(key);
    const sourceQueueUrl = match ? outputs[`${match[1]}QueueUrl`] : undefined;
    if (!match?.[1] || !sourceQueueUrl) continue;
    pairs.push({ name: match[1].toLowerCase(), deadLetterQueueUrl, sourceQueueUrl, fifo: deadLetterQueueUrl.endsWith(".fifo") });
  }
  return pairs.sort((a, b) => a.name.localeCompare(b.name));
}

/** "Brokerage-OrdersQueueC538DD4C-ED35F7E2BE9B.fifo" → "orders": CDK's `<stack>-<Id>Queue<hash>-<suffix>` names. */
function friendlyName(sourceQueueUrl: string, deadLetterQueueUrl: string): string {
  const match = /-([A-Za-z0-9]+?)Queue[0-9A-F]{8}-/.exec(queueNameOf(sourceQueueUrl));
  return match?.[1] ? match[1].toLowerCase() : queueNameOf(deadLetterQueueUrl);
}

/** Without outputs: every queue whose RedrivePolicy points at another queue is a source, that queue its DLQ. */
export async function discoverPairs(sqs: SQSClient): Promise<DeadLetterQueuePair[]> {
  const urls: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sqs.send(new ListQueuesCommand({ MaxResults: 1000, ...(nextToken ? { NextToken: nextToken } : {}) }));
    urls.push(...(page.QueueUrls ?? []));
    nextToken = page.NextToken;
  } while (nextToken);

  const urlByArn = new Map<string, string>();
  const targetArnBySource = new Map<string, string>();
  for (const url of urls) {
    const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn", "RedrivePolicy"] }));
    if (Attributes.QueueArn) urlByArn.set(Attributes.QueueArn, url);
    if (Attributes.RedrivePolicy) {
      const policy = JSON.parse(Attributes.RedrivePolicy) as { deadLetterTargetArn?: string };
      if (policy.deadLetterTargetArn) targetArnBySource.set(url, policy.deadLetterTargetArn);
    }
  }
  const pairs: DeadLetterQueuePair[] = [];
  for (const [sourceQueueUrl, arn] of targetArnBySource) {
    const deadLetterQueueUrl = urlByArn.get(arn);
    if (!deadLetterQueueUrl) continue;
    pairs.push({ name: friendlyName(sourceQueueUrl, deadLetterQueueUrl), deadLetterQueueUrl, sourceQueueUrl, fifo: deadLetterQueueUrl.endsWith(".fifo") });
  }
  return pairs.sort((a, b) => a.name.localeCompare(b.name));
}

/** A name ("orders") or a DLQ URL; URLs are compared by queue name, since hosts differ between endpoints. */
export function selectPair(pairs: readonly DeadLetterQueuePair[], nameOrUrl: string): DeadLetterQueuePair {
  const wanted = nameOrUrl.includes("/") ? queueNameOf(nameOrUrl) : nameOrUrl.toLowerCase();
  const pair = pairs.find((p) => p.name === wanted || queueNameOf(p.deadLetterQueueUrl) === wanted);
  if (pair) return pair;
  const known = pairs.map((p) => p.name).join(", ") || "none found";
  throw new UnknownQueueError(`unknown dead-letter queue "${nameOrUrl}"; known: ${known} (or pass a DLQ URL)`);
}
