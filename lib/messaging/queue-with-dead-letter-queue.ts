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
   * @default from `consumerTimeout` when given (see there), else Duration.seconds(30)
   */
  readonly visibilityTimeout?: Duration;
  /**
   * The timeout of the Lambda function that consumes this queue. The visibility
   * timeout is then at least six times it plus the batching window, as AWS
   * advises, so a message is not redelivered while a throttled or retried
   * invocation may still hold it.
   * @default no consumer: visibilityTimeout alone decides
   */
  readonly consumerTimeout?: Duration;
  /**
   * The consumer's MaximumBatchingWindow, which adds to the time a message is held.
   * @default Duration.seconds(0)
   */
  readonly consumerBatchingWindow?: Duration;
  /**
   * Receives before a message is moved to the dead-letter queue.
   * @default 3
   */
  readonly maxReceiveCount?: number;
}

/** AWS's advice for a queue that feeds Lambda: 6 × the function's timeout + its batching window. */
export function lambdaSourceVisibilityTimeout(functionTimeout: Duration, batchingWindow: Duration = Duration.seconds(0)): Duration {
  return Duration.seconds(6 * functionTimeout.toSeconds() + batchingWindow.toSeconds());
}

function visibilityTimeoutFor(props: QueueWithDeadLetterQueueProps): Duration {
  if (props.consumerTimeout === undefined) return props.visibilityTimeout ?? Duration.seconds(30);
  const advised = lambdaSourceVisibilityTimeout(props.consumerTimeout, props.consumerBatchingWindow);
  if (props.visibilityTimeout === undefined) return advised;
  if (props.visibilityTimeout.toSeconds() < advised.toSeconds()) {
    throw new Error(`visibilityTimeout must be at least ${advised.toSeconds()} s for this consumer (6 × its timeout + batching window), got ${props.visibilityTimeout.toSeconds()} s`);
  }
  return props.visibilityTimeout;
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
    const visibilityTimeout = visibilityTimeoutFor(props);
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
      visibilityTimeout,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
  }
}
