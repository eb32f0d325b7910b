import type { DeleteEntry, DeleteFailure, QueueConsumer, ReceivedMessage } from "../eventsources/queue-consumer.ts";
import type { SqsBackend } from "./sqs-backend.ts";

function abortError(): Error {
  const error = new Error("The receive was aborted");
  error.name = "AbortError";
  return error;
}

/** Rejects as soon as `signal` aborts; the backend's long poll then ends at once, taking nothing. */
function abortable<T>(call: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener("abort", onAbort, { once: true });
    call.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** The pollers' receive and delete as in-process calls on the SQS backend. */
export function backendConsumer(backend: SqsBackend): QueueConsumer {
  return {
    async receive(queueUrl, maxMessages, waitSeconds, signal) {
      const input = {
        QueueUrl: queueUrl,
        MaxNumberOfMessages: maxMessages,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      };
      const output = await abortable(backend.callLocal("ReceiveMessage", input, signal), signal);
      return Array.isArray(output["Messages"]) ? (output["Messages"] as ReceivedMessage[]) : [];
    },
    async deleteBatch(queueUrl: string, entries: readonly DeleteEntry[]): Promise<DeleteFailure[]> {
      const output = await backend.callLocal("DeleteMessageBatch", { QueueUrl: queueUrl, Entries: entries });
      return Array.isArray(output["Failed"]) ? (output["Failed"] as DeleteFailure[]) : [];
    },
  };
}
