import type { QueueDepth } from "../api.ts";
import { Empty, Panel } from "./panel.tsx";

/** Each queue followed by its dead-letter queue, so which is whose reads at a glance. */
function withDeadLettersAfter(queues: readonly QueueDepth[]): { queue: QueueDepth; isDlq: boolean }[] {
  const byName = new Map(queues.map((q) => [q.name, q]));
  const placed = new Set<string>();
  const rows: { queue: QueueDepth; isDlq: boolean }[] = [];
  for (const queue of queues.filter((q) => q.deadLetterFor.length === 0)) {
    rows.push({ queue, isDlq: false });
    const dlq = queue.deadLetterQueue === undefined ? undefined : byName.get(queue.deadLetterQueue.name);
    if (dlq !== undefined && !placed.has(dlq.name)) {
      placed.add(dlq.name);
      rows.push({ queue: dlq, isDlq: true });
    }
  }
  for (const queue of queues) if (queue.deadLetterFor.length > 0 && !placed.has(queue.name)) rows.push({ queue, isDlq: true });
  return rows;
}

export function QueuesPanel(props: { queues: readonly QueueDepth[]; shortName: (name: string) => string }) {
  const deepest = Math.max(1, ...props.queues.map((q) => q.visible + q.inFlight));
  return (
    <Panel id="queues" title="Queues" aside="each queue, then its dead-letter queue">
      {props.queues.length === 0 ? (
        <Empty>No queue exists.</Empty>
      ) : (
        <table>
          <thead>
            <tr><th>Queue</th><th class="num">Visible</th><th class="num">In flight</th><th>Redrive</th></tr>
          </thead>
          <tbody>
            {withDeadLettersAfter(props.queues).map(({ queue, isDlq }) => (
              <tr key={queue.name} data-queue={queue.name} class={isDlq ? (queue.visible > 0 ? "dlq-row alert" : "dlq-row") : undefined} title={queue.name}>
                <td class="name">{isDlq ? <span class="muted">↳ </span> : null}{props.shortName(queue.name)}</td>
                <td class="num">
                  <span class="meter"><span style={{ width: `${(100 * queue.visible) / deepest}%` }} /></span>
                  <span data-field="visible">{queue.visible}</span>
                </td>
                <td class="num" data-field="inFlight">{queue.inFlight}</td>
                <td>
                  {isDlq ? (
                    <span class="tag dlq" title={`dead-letter queue of ${queue.deadLetterFor.join(", ")}`}>DLQ{queue.deadLetterFor.length > 1 ? ` of ${queue.deadLetterFor.length}` : ""}</span>
                  ) : queue.deadLetterQueue ? (
                    <span class="muted small">after {queue.deadLetterQueue.maxReceiveCount} receives</span>
                  ) : (
                    <span class="muted small">none</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
