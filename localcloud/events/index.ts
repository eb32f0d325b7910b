export { EventsService } from "./events-service.ts";
export { EventsOperationError } from "./errors.ts";
export { DEFAULT_BUS, EventBusStore, type EventBus, type EventRule, type RuleTarget } from "./event-bus-store.ts";
export { matchesEventPattern, parseEventPattern, InvalidEventPatternError, type Pattern } from "./event-pattern.ts";
export { targetPayload, type BusEvent, type QueueSender } from "./event-delivery.ts";
export { serviceQueueSender } from "./queue-sender.ts";
