import type { LogEntry } from "../api.ts";
import { clockTime, colorOf, readLine } from "../format.ts";
import { Empty, Panel } from "./panel.tsx";

function Line(props: { entry: LogEntry; onCorrelation: (id: string) => void }) {
  const { entry } = props;
  const { message, keys } = readLine(entry.line);
  const level = entry.level ?? (/^(START|END|REPORT) RequestId/.test(entry.line) ? "LAMBDA" : "");
  return (
    <tr class={`log ${level.toLowerCase()}`}>
      <td class="time">{clockTime(entry.time)}</td>
      <td class="source" style={{ color: colorOf(entry.source) }}>{entry.source}</td>
      <td class="level">{level}</td>
      <td class="text">
        {message === "" ? null : <span class="message">{message}</span>}
        {keys.map(([key, value]) => <span key={key} class="kv"><b>{key}</b>={value}</span>)}
        {entry.correlationId === undefined ? null : (
          <button type="button" class="chip small" onClick={() => props.onCorrelation(entry.correlationId ?? "")} title="Show its timeline">
            {entry.correlationId}
          </button>
        )}
      </td>
    </tr>
  );
}

export function LogsPanel(props: {
  lines: readonly LogEntry[];
  sources: readonly string[];
  correlationId: string;
  source: string;
  onCorrelation: (id: string) => void;
  onSource: (source: string) => void;
}) {
  const filters = (
    <div class="filters">
      <select value={props.source} onChange={(e) => props.onSource(e.currentTarget.value)} aria-label="Source">
        <option value="">every source</option>
        {props.sources.map((s) => <option key={s} value={s}>{s}</option>)}
      </select>
      {props.correlationId === "" ? null : (
        <button type="button" class="chip" onClick={() => props.onCorrelation("")} title="Show every line">
          correlation {props.correlationId} ✕
        </button>
      )}
    </div>
  );
  return (
    <Panel id="logs" title="Recent log lines" aside={filters} wide>
      {props.lines.length === 0 ? (
        <Empty>No line matches.</Empty>
      ) : (
        <div class="log-scroll">
          <table class="logs">
            <tbody>{[...props.lines].reverse().map((entry) => <Line key={entry.seq} entry={entry} onCorrelation={props.onCorrelation} />)}</tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
