import { queryParameters, xmlError } from "../query-protocol.ts";
import type { EmbeddedFauxqs } from "../sqs/fauxqs-embed.ts";
import type { CloudContext, HttpRequest, HttpResponse, LambdaInvoker, Service } from "../types.ts";
import { LambdaSubscriptions, loadFilterMatchers } from "./lambda-subscriptions.ts";
import { messageIdsOf, publishedEntries } from "./publish-entries.ts";
import { SnsArns } from "./sns-arns.ts";

const SNS_NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";

/** An SNS call the deployer made that fauxqs answered with an error. */
export class SnsOperationError extends Error {
  override readonly name = "SnsOperationError";

  constructor(readonly action: string, readonly code: string, readonly awsMessage: string) {
    super(`${action}: ${code}: ${awsMessage}`);
  }
}

/** Attributes a topic takes only when it is created; the others are set, so an update can change them. */
const CREATION_ONLY_TOPIC_ATTRIBUTES = new Set(["FifoTopic"]);

const SUBSCRIPTION_ATTRIBUTES = ["RawMessageDelivery", "FilterPolicy", "FilterPolicyScope", "RedrivePolicy", "DeliveryPolicy", "SubscriptionRoleArn"];

/**
 * SNS on the local cloud's endpoint: the embedded fauxqs's SNS (the query protocol, which
 * both the SDK v3 and the aws CLI speak), with ARNs in the local cloud's account, its
 * SQS subscriptions delivering into the same queues the SQS service serves, and `lambda`
 * subscriptions run here. Topics and subscriptions persist with the queues.
 */
export class SnsService implements Service {
  readonly arns: SnsArns;

  private constructor(
    private readonly ctx: CloudContext,
    private readonly fauxqs: EmbeddedFauxqs,
    private readonly lambdaSubscriptions: LambdaSubscriptions,
  ) {
    this.arns = new SnsArns(ctx);
  }

  static async start(ctx: CloudContext, fauxqs: EmbeddedFauxqs, lambda: LambdaInvoker): Promise<SnsService> {
    const arns = new SnsArns(ctx);
    return new SnsService(ctx, fauxqs, new LambdaSubscriptions(ctx, fauxqs.snsStore, arns, await loadFilterMatchers(), lambda));
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    const params = queryParameters(request);
    const action = params.get("Action");
    if (!action) return xmlError(400, "MissingAction", "The request must contain the parameter Action.", SNS_NAMESPACE);
    const forwarded = new URLSearchParams();
    for (const [key, value] of params) forwarded.append(key, this.arns.toFauxqs(value));
    const response = await this.inject(forwarded);
    if (response.statusCode === 200 && (action === "Publish" || action === "PublishBatch")) {
      await this.deliverToFunctions(action, forwarded, response.body);
    }
    return { statusCode: response.statusCode, headers: { "content-type": "text/xml" }, body: this.arns.toPublic(response.body) };
  }

  /** Idempotent: a topic that exists keeps its subscriptions and gets the new attributes. */
  async createTopic(name: string, attributes: Readonly<Record<string, string>>): Promise<string> {
    const creation = Object.entries(attributes).filter(([key]) => CREATION_ONLY_TOPIC_ATTRIBUTES.has(key));
    const xml = await this.call("CreateTopic", { Name: name, ...attributeEntries(creation) });
    const arn = /<TopicArn>([^<]+)<\/TopicArn>/.exec(xml)?.[1] ?? "";
    for (const [key, value] of Object.entries(attributes)) {
      if (!CREATION_ONLY_TOPIC_ATTRIBUTES.has(key)) await this.call("SetTopicAttributes", { TopicArn: arn, AttributeName: key, AttributeValue: value });
    }
    return this.arns.toPublic(arn);
  }

  /** Deletes a topic and its subscriptions; one already gone is not an error. */
  async deleteTopic(topicArn: string): Promise<void> {
    await this.call("DeleteTopic", { TopicArn: this.arns.toFauxqs(topicArn) }).catch(ignoreNotFound);
  }

  /**
   * Subscribes an endpoint (a queue ARN, a function ARN) to a topic; subscribing the same
   * endpoint again sets the new attributes and clears the ones no longer given.
   */
  async subscribe(topicArn: string, protocol: string, endpoint: string, attributes: Readonly<Record<string, string>>): Promise<string> {
    const fauxqsTopic = this.arns.toFauxqs(topicArn);
    const fauxqsEndpoint = this.arns.toFauxqs(endpoint);
    const store = this.fauxqs.snsStore;
    const existing = store
      .getTopic(fauxqsTopic)
      ?.subscriptionArns.map((arn) => store.getSubscription(arn))
      .find((sub) => sub?.protocol === protocol && sub.endpoint === fauxqsEndpoint);
    if (!existing) {
      const xml = await this.call("Subscribe", { TopicArn: fauxqsTopic, Protocol: protocol, Endpoint: fauxqsEndpoint, ...attributeEntries(Object.entries(attributes)) });
      return this.arns.toPublic(/<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(xml)?.[1] ?? "");
    }
    for (const name of SUBSCRIPTION_ATTRIBUTES) {
      const value = attributes[name] ?? "";
      if ((existing.attributes[name] ?? "") !== value) {
        await this.call("SetSubscriptionAttributes", { SubscriptionArn: existing.arn, AttributeName: name, AttributeValue: value });
      }
    }
    return this.arns.toPublic(existing.arn);
  }

  async unsubscribe(subscriptionArn: string): Promise<void> {
    await this.call("Unsubscribe", { SubscriptionArn: this.arns.toFauxqs(subscriptionArn) }).catch(ignoreNotFound);
  }

  async stop(): Promise<void> {
    // fauxqs is closed with the SQS service that embeds it.
  }

  private async call(action: string, params: Record<string, string>): Promise<string> {
    const response = await this.inject(new URLSearchParams({ Action: action, ...params }));
    if (response.statusCode !== 200) {
      const code = /<Code>([^<]+)<\/Code>/.exec(response.body)?.[1] ?? "InternalFailure";
      const message = /<Message>([^<]*)<\/Message>/.exec(response.body)?.[1] ?? "";
      throw new SnsOperationError(action, code, message);
    }
    return response.body;
  }

  /** No Authorization header: fauxqs would take the region from it, and topic ARNs must stay in the cloud's region. */
  private async inject(params: URLSearchParams): Promise<{ statusCode: number; body: string }> {
    const response = await this.fauxqs.app.inject({
      method: "POST",
      url: "/",
      headers: { "content-type": "application/x-www-form-urlencoded", host: `127.0.0.1:${this.fauxqs.port}` },
      payload: params.toString(),
    });
    return { statusCode: response.statusCode, body: response.body };
  }

  private async deliverToFunctions(action: string, params: URLSearchParams, xml: string): Promise<void> {
    const ids = messageIdsOf(action, xml);
    const delivered = publishedEntries(action, params).flatMap((entry) => {
      const messageId = ids.get(entry.id);
      return messageId === undefined ? [] : [{ entry, messageId }];
    });
    await this.lambdaSubscriptions.deliver(params.get("TopicArn") ?? "", delivered);
  }
}

function attributeEntries(entries: readonly (readonly [string, string])[]): Record<string, string> {
  const params: Record<string, string> = {};
  entries.forEach(([key, value], index) => {
    params[`Attributes.entry.${index + 1}.key`] = key;
    params[`Attributes.entry.${index + 1}.value`] = value;
  });
  return params;
}

function ignoreNotFound(error: unknown): void {
  if (!(error instanceof SnsOperationError && error.code === "NotFound")) throw error;
}
