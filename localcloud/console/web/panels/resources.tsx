import type { StackView } from "../api.ts";
import { Empty, Panel } from "./panel.tsx";

export function ResourcesPanel(props: { stacks: readonly StackView[] }) {
  return (
    <Panel id="resources" title="Stacks and resources" wide>
      {props.stacks.length === 0 ? (
        <Empty>Nothing is deployed yet.</Empty>
      ) : (
        props.stacks.map((stack) => (
          <details key={stack.name} class="stack" open={props.stacks.length === 1}>
            <summary>
              <b>{stack.name}</b> <span class={`tag ${stack.status.endsWith("COMPLETE") && !stack.status.includes("ROLLBACK") ? "ok" : "warn"}`}>{stack.status}</span>
              <span class="muted small"> · {stack.resources.length} resources · updated {new Date(stack.updatedAt).toLocaleTimeString()}</span>
            </summary>
            <table>
              <thead><tr><th>Logical id</th><th>Type</th><th>Physical id</th><th>Status</th></tr></thead>
              <tbody>
                {stack.resources.map((r) => (
                  <tr key={r.logicalId} class={r.emulated ? undefined : "dim"} title={r.emulated ? undefined : "accepted, not run by the local cloud"}>
                    <td>{r.logicalId}</td>
                    <td class="type">{r.type}</td>
                    <td class="physical">{r.physicalId}</td>
                    <td class="small">{r.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        ))
      )}
    </Panel>
  );
}
