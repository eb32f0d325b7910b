export { SqsEventSourceMappings, type SqsEventSourceMappingsOptions } from "./sqs-event-source-mappings.ts";
export type { EventSourceFaultOptions } from "./event-source-faults.ts";
export type { SqsEventRecord, SqsEventMessageAttribute } from "./sqs-event.ts";
