/**
 * fauxqs delivers only to SQS subscriptions; the local cloud invokes the functions of
 * `lambda` subscriptions itself, asynchronously and with the event Lambda gets from SNS,
 * after fauxqs's own filter policy matching.
 */
import { internal, type FauxqsSnsStore, type FauxqsSubscription } from "../sqs/fauxqs-embed.ts";
import type { CloudContext, LambdaInvoker } from "../types.ts";
import type { PublishedEntry, SnsAttribute } from "./publish-entries.ts";
import type { SnsArns } from "./sns-arns.ts";

type AttributeMatcher = (policy: unknown, attributes: Record<string, SnsAttribute>) => boolean;
type BodyMatcher = (policy: unknown, message: string) => boolean;

export interface FilterMatchers {
  readonly onAttributes: AttributeMatcher;
  readonly onBody: BodyMatcher;
}

export async function loadFilterMatchers(): Promise<FilterMatchers> {
  return {
    onAttributes: await internal<AttributeMatcher>("./sns/filter.js", "matchesFilterPolicy"),
    onBody: await internal<BodyMatcher>("./sns/filter.js", "matchesFilterPolicyOnBody"),
  };
}

const FUNCTION_ARN = /^arn:aws:lambda:[^:]+:[^:]+:function:([^:]+)/;

function passesFilter(subscription: FauxqsSubscription, entry: PublishedEntry, matchers: FilterMatchers): boolean {
  const policyText = subscription.attributes["FilterPolicy"];
  if (!policyText) return true;
  let policy: unknown;
  try {
    policy = JSON.parse(policyText);
  } catch {
    return true;
  }
  return subscription.attributes["FilterPolicyScope"] === "MessageBody" ? matchers.onBody(policy, entry.message) : matchers.onAttributes(policy, entry.attributes);
}

export function snsLambdaEvent(subscriptionArn: string, topicArn: string, messageId: string, entry: PublishedEntry, at: Date) {
  return {
    Records: [
      {
        EventSource: "aws:sns",
        EventVersion: "1.0",
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: "Notification",
          MessageId: messageId,
          TopicArn: topicArn,
          Subject: entry.subject ?? null,
          Message: entry.message,
          Timestamp: at.toISOString(),
          SignatureVersion: "1",
          Signature: "EXAMPLE",
          SigningCertUrl: "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem",
          UnsubscribeUrl: `http://localhost/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
          MessageAttributes: Object.fromEntries(
            Object.entries(entry.attributes).map(([name, value]) => [name, { Type: value.DataType, Value: value.StringValue ?? value.BinaryValue ?? "" }]),
          ),
        },
      },
    ],
  };
}

export class LambdaSubscriptions {
  constructor(
    private readonly ctx: CloudContext,
    private readonly store: FauxqsSnsStore,
    private readonly arns: SnsArns,
    private readonly matchers: FilterMatchers,
    private readonly lambda: LambdaInvoker,
  ) {}

  /** Invokes each matching function once per published entry; a failed invoke is logged, as SNS would retry it. */
  async deliver(fauxqsTopicArn: string, entries: readonly { entry: PublishedEntry; messageId: string }[]): Promise<void> {
    const topic = this.store.getTopic(fauxqsTopicArn);
    if (!topic) return;
    const subscriptions = topic.subscriptionArns
      .map((arn) => this.store.getSubscription(arn))
      .filter((sub): sub is FauxqsSubscription => sub !== undefined && sub.protocol === "lambda");
    const invocations: Promise<unknown>[] = [];
    for (const subscription of subscriptions) {
      const functionName = FUNCTION_ARN.exec(subscription.endpoint)?.[1] ?? subscription.endpoint;
      for (const { entry, messageId } of entries) {
        if (!passesFilter(subscription, entry, this.matchers)) continue;
        const event = snsLambdaEvent(this.arns.toPublic(subscription.arn), this.arns.toPublic(topic.arn), messageId, entry, new Date());
        invocations.push(
          this.lambda.invoke(functionName, JSON.stringify(event), { invocationType: "Event" }).catch((error: unknown) => {
            this.ctx.log("sns", `${topic.name}: invoking ${functionName} failed: ${error instanceof Error ? error.message : String(error)}`);
          }),
        );
      }
    }
    await Promise.all(invocations);
  }
}
