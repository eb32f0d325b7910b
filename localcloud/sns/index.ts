export { SnsService, SnsOperationError } from "./sns-service.ts";
export { snsLambdaEvent } from "./lambda-subscriptions.ts";
