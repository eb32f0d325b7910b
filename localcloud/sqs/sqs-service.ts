import { rmSync } from "node:fs";
import { join } from "node:path";
import type { CloudContext, HttpRequest, HttpResponse, Service } from "../types.ts";
import { SqsOperationError } from "./errors.ts";
import { embedFauxqs, type EmbeddedFauxqs } from "./fauxqs-embed.ts";
import { handleJsonRequest } from "./json-protocol.ts";
import { handleQueryRequest } from "./query-protocol.ts";
import { QueueNames } from "./queue-names.ts";
import { SqsBackend } from "./sqs-backend.ts";
import { backendConsumer } from "./backend-consumer.ts";
import type { QueueConsumer } from "../eventsources/queue-consumer.ts";

/** Set when the queue is created; SetQueueAttributes refuses to change it. */
const CREATION_ONLY_ATTRIBUTES = new Set(["FifoQueue"]);

/** SQS on the local cloud's endpoint: an embedded fauxqs, both wire protocols, public queue URLs. */
export class SqsService implements Service {
  /** Receive and delete for the event-source pollers, straight on the backend. */
  readonly consumer: QueueConsumer;
  private readonly names: QueueNames;
  private readonly backend: SqsBackend;

  private constructor(private readonly ctx: CloudContext, private readonly fauxqs: EmbeddedFauxqs) {
    this.names = new QueueNames(ctx);
    this.backend = new SqsBackend(fauxqs, this.names, ctx.meter);
    this.consumer = backendConsumer(this.backend);
  }

  static async start(ctx: CloudContext, options: { reset?: boolean; inMemory?: boolean } = {}): Promise<SqsService> {
    const dataDir = join(ctx.dataDir, "sqs");
    if (options.reset && !options.inMemory) rmSync(dataDir, { recursive: true, force: true });
    const fauxqs = await embedFauxqs({ region: ctx.region, dataDir: options.inMemory ? undefined : dataDir });
    return new SqsService(ctx, fauxqs);
  }

  handle(request: HttpRequest): Promise<HttpResponse> {
    const target = request.headers["x-amz-target"];
    if (typeof target === "string" && target.startsWith("AmazonSQS.")) return handleJsonRequest(request, this.backend, target);
    return handleQueryRequest(request, this.backend, this.ctx.endpoint);
  }

  /** Idempotent: a queue that exists keeps its messages and gets the new attributes. */
  async createQueue(name: string, attributes: Record<string, string>): Promise<{ queueUrl: string; queueArn: string }> {
    const exists = await this.backend.call("GetQueueUrl", { QueueName: name }).then(
      () => true,
      (error: unknown) => {
        if (error instanceof SqsOperationError && error.code === "QueueDoesNotExist") return false;
        throw error;
      },
    );
    const queueUrl = this.names.publicUrl(name);
    if (!exists) {
      await this.backend.call("CreateQueue", { QueueName: name, Attributes: attributes });
    } else {
      const changeable = Object.fromEntries(Object.entries(attributes).filter(([key]) => !CREATION_ONLY_ATTRIBUTES.has(key)));
      if (Object.keys(changeable).length > 0) await this.backend.call("SetQueueAttributes", { QueueUrl: queueUrl, Attributes: changeable });
    }
    return { queueUrl, queueArn: this.names.publicArn(name) };
  }

  /** Deletes a queue and its messages; one already gone is not an error. */
  async deleteQueue(name: string): Promise<void> {
    await this.backend.call("DeleteQueue", { QueueUrl: this.names.publicUrl(name) }).catch((error: unknown) => {
      if (!(error instanceof SqsOperationError && error.code === "QueueDoesNotExist")) throw error;
    });
  }

  /** Calls `listener` with the queue's name and count after every successful SendMessage(Batch). */
  onMessagesSent(listener: (queueName: string, count: number) => void): void {
    this.backend.sentListener = listener;
  }

  /** The embedded fauxqs, whose SNS the local cloud's SNS service serves. */
  get embedded(): EmbeddedFauxqs {
    return this.fauxqs;
  }

  queueUrlForArn(arn: string): string {
    return this.names.publicUrl(QueueNames.nameOfArn(arn));
  }

  async stop(): Promise<void> {
    this.backend.close();
    await this.fauxqs.close();
  }
}
