export { SsmService } from "./ssm-service.ts";
export { ParameterAlreadyExistsError, ParameterNotFoundError, SsmOperationError } from "./errors.ts";
export type { ParameterType } from "./parameter-store.ts";
