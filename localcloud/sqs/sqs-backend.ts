import type { EmbeddedFauxqs } from "./fauxqs-embed.ts";
import { SqsOperationError } from "./errors.ts";
import { QueueNames } from "./queue-names.ts";
import { callerOfAuthorization, LOCAL_CALLER, type UsageMeter } from "../metering/usage-meter.ts";

export type JsonObject = Record<string, unknown>;

/** Queue attributes whose values carry ARNs. */
const ARN_ATTRIBUTES = ["QueueArn", "RedrivePolicy", "RedriveAllowPolicy"] as const;

/** Below this, a long poll answers empty rather than wait again. */
const MIN_WAIT_MS = 5;

/** Waits for `wake`, or until the signal aborts; leaves no listener on the signal. */
async function untilWokenOrAborted(wake: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return wake;
  let onAbort = (): void => {};
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    await Promise.race([wake, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

const hasMessages = (output: JsonObject): boolean => Array.isArray(output["Messages"]) && output["Messages"].length > 0;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Calls SQS operations (JSON protocol shapes) on the embedded fauxqs, translating
 * queue URLs and ARNs to and from their public forms, and adding the operations
 * fauxqs lacks.
 */
export class SqsBackend {
  /** Told how many messages each successful send put on a queue (CloudWatch's NumberOfMessagesSent). */
  sentListener: ((queueName: string, count: number) => void) | undefined;

  /** Set once the service stops: a long poll in progress then answers what it has. */
  private closed = false;

  constructor(private readonly fauxqs: EmbeddedFauxqs, readonly names: QueueNames, private readonly meter?: UsageMeter) {}

  close(): void {
    this.closed = true;
  }

  /** Resolves to the operation's output; rejects with SqsOperationError on an error answer. */
  call(action: string, input: JsonObject, authorization?: string): Promise<JsonObject> {
    return this.metered(callerOfAuthorization(authorization), action, input, authorization);
  }

  /**
   * A call of the local cloud's own (the event-source pollers'), metered as theirs. A long
   * poll stops waiting once `signal` aborts, without taking a message off the queue.
   */
  callLocal(action: string, input: JsonObject, signal?: AbortSignal): Promise<JsonObject> {
    return this.metered(LOCAL_CALLER, action, input, undefined, signal);
  }

  private async metered(caller: string, action: string, input: JsonObject, authorization?: string, signal?: AbortSignal): Promise<JsonObject> {
    if (this.meter === undefined) return this.callFauxqs(action, input, authorization, signal).then((output) => this.countSent(action, input, output));
    try {
      const output = this.countSent(action, input, await this.callFauxqs(action, input, authorization, signal));
      this.meter.sqsCall(caller, action, input, output);
      return output;
    } catch (error) {
      this.meter.sqsFailedCall(caller, action, input);
      throw error;
    }
  }

  private countSent(action: string, input: JsonObject, output: JsonObject): JsonObject {
    if (this.sentListener === undefined || (action !== "SendMessage" && action !== "SendMessageBatch")) return output;
    const count = action === "SendMessage" ? 1 : Array.isArray(output["Successful"]) ? output["Successful"].length : 0;
    if (count > 0) this.sentListener(QueueNames.nameOfUrl(String(input["QueueUrl"] ?? "")), count);
    return output;
  }

  private async callFauxqs(action: string, input: JsonObject, authorization?: string, signal?: AbortSignal): Promise<JsonObject> {
    if (action === "ListDeadLetterSourceQueues") return this.listDeadLetterSourceQueues(input);
    // The query protocol's values arrive as text.
    const waitSeconds = Number(input["WaitTimeSeconds"] ?? 0);
    if (action === "ReceiveMessage" && waitSeconds > 0 && waitSeconds <= 20) return this.longPoll(input, waitSeconds, authorization, signal);
    return this.callOnce(action, input, authorization);
  }

  /**
   * A long poll as SQS answers it: with messages as soon as there are any, else empty once
   * its wait is over. It waits here rather than in fauxqs, whose waiting polls all wake for
   * each message and all but one then answer empty at once (Lambda's five pollers per queue
   * would make four empty receives per message), and which takes a message off the queue
   * for a poll whose caller has gone. Each try is a receive that does not wait.
   */
  private async longPoll(input: JsonObject, waitSeconds: number, authorization: string | undefined, signal: AbortSignal | undefined): Promise<JsonObject> {
    const deadline = performance.now() + waitSeconds * 1000;
    const once = { ...input, WaitTimeSeconds: 0 };
    const queue = this.fauxqs.store.getQueueByName(QueueNames.nameOfUrl(String(input["QueueUrl"] ?? "")));
    for (;;) {
      const output = await this.callOnce("ReceiveMessage", once, authorization);
      const leftMs = deadline - performance.now();
      if (hasMessages(output) || queue === undefined || leftMs < MIN_WAIT_MS || this.closed || signal?.aborted) return output;
      await untilWokenOrAborted(queue.waitForMessages(leftMs / 1000), signal);
    }
  }

  private async callOnce(action: string, input: JsonObject, authorization?: string): Promise<JsonObject> {
    const response = await this.fauxqs.app.inject({
      method: "POST",
      url: "/",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": `AmazonSQS.${action}`,
        host: `127.0.0.1:${this.fauxqs.port}`,
        ...(authorization ? { authorization } : {}),
      },
      payload: JSON.stringify(this.translateAttributes(input, (text) => this.names.toFauxqsArns(text))),
    });
    const parsed: unknown = response.body === "" ? {} : JSON.parse(response.body);
    const output = isObject(parsed) ? parsed : {};
    if (response.statusCode !== 200) {
      const code = String(output["__type"] ?? "InternalFailure").split("#").pop() ?? "InternalFailure";
      const queryHeader = response.headers["x-amzn-query-error"];
      const queryCode = typeof queryHeader === "string" ? queryHeader.split(";")[0] : undefined;
      throw new SqsOperationError(action, response.statusCode, code, String(output["message"] ?? "error"), queryCode);
    }
    return this.toPublic(output);
  }

  private toPublic(output: JsonObject): JsonObject {
    const result = this.translateAttributes(output, (text) => this.names.toPublicArns(text));
    if (typeof result["QueueUrl"] === "string") result["QueueUrl"] = this.names.toPublicUrl(result["QueueUrl"]);
    for (const key of ["QueueUrls", "queueUrls"]) {
      const urls = result[key];
      if (Array.isArray(urls)) result[key] = urls.map((url) => this.names.toPublicUrl(String(url)));
    }
    return result;
  }

  private translateAttributes(body: JsonObject, translate: (text: string) => string): JsonObject {
    const attributes = body["Attributes"];
    if (!isObject(attributes)) return { ...body };
    const translated: JsonObject = { ...attributes };
    for (const name of ARN_ATTRIBUTES) {
      const value = translated[name];
      if (typeof value === "string") translated[name] = translate(value);
    }
    return { ...body, Attributes: translated };
  }

  /** fauxqs has no ListDeadLetterSourceQueues: read the redrive policies of its queues. */
  private listDeadLetterSourceQueues(input: JsonObject): JsonObject {
    const name = QueueNames.nameOfUrl(String(input["QueueUrl"] ?? ""));
    const target = this.fauxqs.store.getQueueByName(name);
    if (!target) {
      throw new SqsOperationError("ListDeadLetterSourceQueues", 400, "QueueDoesNotExist", "The specified queue does not exist.", "AWS.SimpleQueueService.NonExistentQueue");
    }
    const sources: string[] = [];
    for (const queue of this.fauxqs.store.allQueues()) {
      const policy = queue.attributes["RedrivePolicy"];
      if (policy === undefined) continue;
      try {
        const parsed: unknown = JSON.parse(policy);
        if (isObject(parsed) && parsed["deadLetterTargetArn"] === target.arn) sources.push(queue.name);
      } catch {
        // A policy that is not JSON names no dead-letter queue.
      }
    }
    return { queueUrls: sources.sort().map((source) => this.names.publicUrl(source)) };
  }
}
