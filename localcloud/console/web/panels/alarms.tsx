import type { AlarmView } from "../api.ts";
import { Empty, NotAvailable, Panel } from "./panel.tsx";

const ORDER = { ALARM: 0, INSUFFICIENT_DATA: 1, OK: 2 } as const;

export function AlarmsPanel(props: { alarms: readonly AlarmView[] | null }) {
  const alarms = props.alarms === null ? null : [...props.alarms].sort((a, b) => ORDER[a.state] - ORDER[b.state] || a.name.localeCompare(b.name));
  return (
    <Panel id="alarms" title="Alarms">
      {alarms === null ? (
        <NotAvailable what="alarms" />
      ) : alarms.length === 0 ? (
        <Empty>The stack declares no alarm.</Empty>
      ) : (
        <ul class="alarms">
          {alarms.map((alarm) => (
            <li key={alarm.name} data-alarm={alarm.name} title={alarm.reason}>
              <span class={`state ${alarm.state.toLowerCase()}`}>{alarm.state.replace("_", " ")}</span>
              <span class="name">{alarm.name}</span>
              <span class="muted small">{alarm.description ?? alarm.reason}</span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
