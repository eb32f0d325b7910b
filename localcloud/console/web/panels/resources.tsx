import type { StackView } from "../api.ts";
import { Empty, Panel } from "./panel.tsx";

/** How many resources of each type, the most numerous first. */
function countsByType(stack: StackView): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of stack.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function ResourcesPanel(props: { stacks: readonly StackView[] }) {
  return (
    <Panel id="resources" title="Stacks and resources" aside="logical id, type, physical id" wide>
      {props.stacks.length === 0 ? (
        <Empty>Nothing is deployed yet.</Empty>
      ) : (
        props.stacks.map((stack) => (
          <details key={stack.name} class="stack" open={props.stacks.length === 1}>
            <summary>
              <b>{stack.name}</b> <span class={`tag ${stack.status.endsWith("COMPLETE") && !stack.status.includes("ROLLBACK") ? "ok" : "warn"}`}>{stack.status}</span>
              <span class="muted small"> · updated {new Date(stack.updatedAt).toLocaleTimeString()}</span>
              <div class="counts">{countsByType(stack).map(([type, n]) => <span key={type} class="tag" title={type}>{n} {type.split("::").slice(1).join(" ")}</span>)}</div>
            </summary>
            <div class="resource-scroll"><table>
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
            </table></div>
          </details>
        ))
      )}
    </Panel>
  );
}
