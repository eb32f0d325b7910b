export { SqsService } from "./sqs-service.ts";
export { SqsOperationError } from "./errors.ts";
