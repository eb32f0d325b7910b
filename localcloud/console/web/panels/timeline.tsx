import { useEffect, useState } from "preact/hooks";
import type { Timeline } from "../api.ts";
import { clockTime, colorOf, formatMs } from "../format.ts";
import { Empty, Panel } from "./panel.tsx";

function Axis(props: { span: number }) {
  return (
    <div class="axis">
      {[0, 0.25, 0.5, 0.75, 1].map((f) => (
        <span key={f} style={{ left: `${f * 100}%` }}>+{formatMs(f * props.span) === "–" ? "0 ms" : formatMs(f * props.span)}</span>
      ))}
    </div>
  );
}

function Rows(props: { timeline: Timeline }) {
  const { timeline } = props;
  const span = Math.max(1, timeline.end - timeline.start);
  const fraction = (t: number) => (t - timeline.start) / span;
  const at = (t: number) => `${fraction(t) * 100}%`;
  return (
    <div class="timeline">
      <div class="timeline-head">
        <span class="muted small">started {clockTime(timeline.start)} · {formatMs(span)} end to end{timeline.traceIds.length > 0 ? ` · trace ${timeline.traceIds.join(", ")}` : ""}</span>
      </div>
      {timeline.rows.map((row) => (
        <div class="lane" key={row.name} data-row={row.name}>
          <div class="lane-name"><span class="dot" style={{ background: colorOf(row.name) }} />{row.name}</div>
          <div class="track">
            {row.bars.map((bar, i) => (
              <span
                key={i}
                data-bar={bar.kind}
                class={`bar ${bar.kind}${bar.error ? " error" : ""}${bar.running ? " running" : ""}${fraction(bar.end) > 0.8 ? " label-before" : ""}`}
                style={{ left: at(bar.start), width: `max(3px, calc(${at(bar.end)} - ${at(bar.start)}))`, background: colorOf(row.name) }}
                title={`${row.name} · ${bar.kind} · ${clockTime(bar.start)} → ${clockTime(bar.end)} · ${formatMs(bar.end - bar.start)}${bar.error ? " · error" : ""}`}
              >
                <em>{bar.label}</em>
              </span>
            ))}
          </div>
        </div>
      ))}
      <div class="lane"><div class="lane-name" /><Axis span={span} /></div>
    </div>
  );
}

export function TimelinePanel(props: {
  selected: string;
  recent: readonly string[];
  timeline: Timeline | undefined;
  onSelect: (correlationId: string) => void;
}) {
  // What is typed is kept apart from what is shown, so a refresh never wipes a half-typed id.
  const [draft, setDraft] = useState(props.selected);
  useEffect(() => setDraft(props.selected), [props.selected]);
  const picker = (
    <form class="picker" onSubmit={(e) => { e.preventDefault(); props.onSelect(draft.trim()); }}>
      <input name="id" list="recent-correlations" placeholder="correlation id or order id" value={draft} onInput={(e) => setDraft(e.currentTarget.value)} aria-label="Correlation id or order id" size={38} />
      <datalist id="recent-correlations">{props.recent.map((id) => <option key={id} value={id} />)}</datalist>
      <button type="submit">Show</button>
    </form>
  );
  return (
    <Panel id="timeline" title="Timeline" aside={picker} wide>
      {props.selected === "" ? (
        <div>
          <Empty>Pick a correlation id (or type an order id) to see its path across the functions.</Empty>
          <div class="chips">
            {props.recent.slice(0, 8).map((id) => <button type="button" class="chip" key={id} onClick={() => props.onSelect(id)}>{id}</button>)}
          </div>
        </div>
      ) : props.timeline === undefined ? (
        <Empty>Loading…</Empty>
      ) : props.timeline.rows.length === 0 ? (
        <Empty>No invocation logged {props.selected} (yet), and no trace is annotated with it.</Empty>
      ) : (
        <Rows timeline={props.timeline} />
      )}
    </Panel>
  );
}
