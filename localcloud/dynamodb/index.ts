export { DynamoDbService, type DynamoDbStartOptions } from "./service.ts";
export { TransactionCanceledError, type CancellationReason } from "./errors.ts";
