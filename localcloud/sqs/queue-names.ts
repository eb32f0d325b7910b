import type { CloudContext } from "../types.ts";

/** fauxqs puts this account id into every ARN and URL it makes, whatever the caller's account. */
const FAUXQS_ACCOUNT_ID = "000000000000";

const SQS_ARN = /arn:aws:sqs:([^:"\s]+):(\d{12}):([^:"\s]+)/g;

/**
 * Translates between fauxqs's own queue URLs and ARNs and the public ones
 * (`${endpoint}/${accountId}/${name}`, LocalStack's path style).
 */
export class QueueNames {
  constructor(private readonly ctx: CloudContext) {}

  publicUrl(queueName: string): string {
    return `${this.ctx.endpoint}/${this.ctx.accountId}/${queueName}`;
  }

  publicArn(queueName: string): string {
    return `arn:aws:sqs:${this.ctx.region}:${this.ctx.accountId}:${queueName}`;
  }

  /** The queue name is the last path segment of any form of queue URL. */
  static nameOfUrl(queueUrl: string): string {
    const path = queueUrl.replace(/^[a-z]+:\/\/[^/]+/i, "").split("?")[0] ?? "";
    return path.split("/").filter(Boolean).pop() ?? "";
  }

  static nameOfArn(arn: string): string {
    return arn.split(":").pop() ?? "";
  }

  /** Any queue URL fauxqs answered with, in its public form. */
  toPublicUrl(queueUrl: string): string {
    return this.publicUrl(QueueNames.nameOfUrl(queueUrl));
  }

  /** Rewrites the account of every SQS ARN inside a text (a RedrivePolicy, a QueueArn). */
  toPublicArns(text: string): string {
    return text.replace(SQS_ARN, (_match, region: string, _account: string, name: string) => `arn:aws:sqs:${region}:${this.ctx.accountId}:${name}`);
  }

  toFauxqsArns(text: string): string {
    return text.replace(SQS_ARN, (_match, region: string, _account: string, name: string) => `arn:aws:sqs:${region}:${FAUXQS_ACCOUNT_ID}:${name}`);
  }
}
