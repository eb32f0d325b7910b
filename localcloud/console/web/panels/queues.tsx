import type { QueueDepth } from "../api.ts";
import { Empty, Panel } from "./panel.tsx";

function Role(props: { queue: QueueDepth }) {
  const { queue } = props;
  if (queue.deadLetterFor.length > 0) return <span class="tag dlq">DLQ of {queue.deadLetterFor.join(", ")}</span>;
  if (queue.deadLetterQueue) return <span class="tag">→ {queue.deadLetterQueue.name} after {queue.deadLetterQueue.maxReceiveCount}</span>;
  return <span class="muted">no DLQ</span>;
}

export function QueuesPanel(props: { queues: readonly QueueDepth[] }) {
  const deepest = Math.max(1, ...props.queues.map((q) => q.visible + q.inFlight));
  return (
    <Panel id="queues" title="Queues">
      {props.queues.length === 0 ? (
        <Empty>No queue exists.</Empty>
      ) : (
        <table>
          <thead>
            <tr><th>Queue</th><th class="num">Visible</th><th class="num">In flight</th><th>Dead letters</th></tr>
          </thead>
          <tbody>
            {props.queues.map((queue) => {
              const isDlq = queue.deadLetterFor.length > 0;
              return (
                <tr key={queue.name} data-queue={queue.name} class={isDlq && queue.visible > 0 ? "alert" : undefined}>
                  <td class="name">{queue.name}</td>
                  <td class="num">
                    <span class="meter"><span style={{ width: `${(100 * queue.visible) / deepest}%` }} /></span>
                    <span data-field="visible">{queue.visible}</span>
                  </td>
                  <td class="num" data-field="inFlight">{queue.inFlight}</td>
                  <td><Role queue={queue} /></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
