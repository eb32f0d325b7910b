import type { CloudContext } from "../types.ts";

/** fauxqs puts this account id into every topic, subscription and queue ARN it makes. */
const FAUXQS_ACCOUNT_ID = "000000000000";

const ARN = /arn:aws:(sns|sqs):([^:"\s<]+):(\d{12}):/g;

/** Translates SNS and SQS ARNs between fauxqs's account and the local cloud's. */
export class SnsArns {
  constructor(private readonly ctx: CloudContext) {}

  topicArn(name: string): string {
    return `arn:aws:sns:${this.ctx.region}:${this.ctx.accountId}:${name}`;
  }

  toFauxqs(text: string): string {
    return text.replace(ARN, (_match, service: string, region: string) => `arn:aws:${service}:${region}:${FAUXQS_ACCOUNT_ID}:`);
  }

  toPublic(text: string): string {
    return text.replace(ARN, (_match, service: string, region: string) => `arn:aws:${service}:${region}:${this.ctx.accountId}:`);
  }
}
