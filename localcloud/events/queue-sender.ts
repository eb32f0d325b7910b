import type { HttpRequest, Service } from "../types.ts";
import type { QueueSender } from "./event-delivery.ts";

/** Sends through the SQS service's own JSON protocol, in process, so the message lands as any client's would. */
export function serviceQueueSender(sqs: Service & { queueUrlForArn(arn: string): string }): QueueSender {
  return {
    async sendMessage(queueArn, body, fifo, attributes) {
      const input = {
        QueueUrl: sqs.queueUrlForArn(queueArn),
        MessageBody: body,
        ...(fifo ? { MessageGroupId: fifo.groupId, MessageDeduplicationId: fifo.deduplicationId } : {}),
        ...(attributes ? { MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, { DataType: "String", StringValue: value }])) } : {}),
      };
      const request: HttpRequest = {
        method: "POST",
        url: "/",
        headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.SendMessage" },
        body: Buffer.from(JSON.stringify(input)),
      };
      const response = await sqs.handle(request);
      if (response.statusCode !== 200) throw new Error(`SendMessage to ${queueArn} answered ${response.statusCode}: ${String(response.body ?? "")}`);
    },
  };
}
