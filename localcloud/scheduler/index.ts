export { ScheduleService, UnknownScheduleError, UnsupportedScheduleError, type ScheduleDefinition } from "./schedule-service.ts";
export { InvalidScheduleExpressionError, parseScheduleExpression, type ScheduleExpression } from "./schedule-expression.ts";
export { ruleArn, scheduledEvent } from "./scheduled-event.ts";
