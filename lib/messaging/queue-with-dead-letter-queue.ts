import { Duration } from "aws-cdk-lib";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

export interface QueueWithDeadLetterQueueProps {
  /**
   * A FIFO queue (and a FIFO dead-letter queue, as SQS requires).
   * @default false
   */
  readonly fifo?: boolean;
  /**
   * How long a received message stays hidden; a failed message is retried after it.
   * @default Duration.seconds(30)
   */
  readonly visibilityTimeout?: Duration;
  /**
   * Receives before a message is moved to the dead-letter queue.
   * @default 3
   */
  readonly maxReceiveCount?: number;
}

/** A queue and its own dead-letter queue, which keeps failed messages for 14 days. */
export class QueueWithDeadLetterQueue extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: QueueWithDeadLetterQueueProps = {}) {
    super(scope, id);
    const maxReceiveCount = props.maxReceiveCount ?? 3;
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new Error(`maxReceiveCount must be an integer from 1 to 1000, got ${maxReceiveCount}`);
    }
    const fifo = props.fifo ?? false;
    this.deadLetterQueue = new Queue(this, "DeadLetterQueue", {
      fifo: fifo || undefined,
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new Queue(this, "Queue", {
      fifo: fifo || undefined,
      contentBasedDeduplication: fifo ? false : undefined,
      visibilityTimeout: props.visibilityTimeout ?? Duration.seconds(30),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
  }
}
