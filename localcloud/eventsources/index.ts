export { SqsEventSourceMappings } from "./sqs-event-source-mappings.ts";
export type { SqsEventRecord, SqsEventMessageAttribute } from "./sqs-event.ts";
