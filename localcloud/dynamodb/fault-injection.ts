/**
 * Test-only: makes TransactWriteItems stop dead part-way, as a killed process would,
 * so crash recovery can be tested. Never set outside tests.
 */
export interface FaultInjection {
  /**
   * Entries are then applied one at a time, in request order; once this many are
   * applied the transaction stops: no further entry, no rollback, journal left as it is.
   */
  readonly crashAfterAppliedItems: number;
  /**
   * How to stop. By default the request fails with SimulatedCrashError, releasing the
   * lock so the test can stop() the service. A child process that the test kills
   * passes a function that reports and never settles.
   */
  readonly crash?: () => Promise<never>;
}

export class SimulatedCrashError extends Error {
  override readonly name = "SimulatedCrashError";
  constructor(appliedItems: number) {
    super(`simulated crash after ${appliedItems} applied item(s) of a TransactWriteItems`);
  }
}

/** Applies `items` in order, stopping dead where the fault says. */
export async function applyUntilCrash<Item, Outcome>(
  items: readonly Item[],
  applyOne: (item: Item) => Promise<Outcome>,
  faults: FaultInjection,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const item of items) {
    if (outcomes.length === faults.crashAfterAppliedItems) return stopDead(faults);
    outcomes.push(await applyOne(item));
  }
  return outcomes;
}

function stopDead(faults: FaultInjection): Promise<never> {
  return faults.crash === undefined ? Promise.reject(new SimulatedCrashError(faults.crashAfterAppliedItems)) : faults.crash();
}
