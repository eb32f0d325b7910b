import uPlot from "uplot";
import { useEffect, useRef } from "preact/hooks";
import type { MetricSeries } from "../api.ts";
import { colorOf } from "../format.ts";

/** The series on one time axis (epoch seconds), a gap where a series has no point. */
function aligned(series: readonly MetricSeries[]): uPlot.AlignedData {
  const times = [...new Set(series.flatMap((s) => s.timestamps.map((t) => Date.parse(t) / 1000)))].sort((a, b) => a - b);
  const columns = series.map((s) => {
    const byTime = new Map(s.timestamps.map((t, i) => [Date.parse(t) / 1000, s.values[i] ?? null]));
    return times.map((t) => byTime.get(t) ?? null);
  });
  return [times, ...columns];
}

/** One dashboard graph, drawn by uPlot and redrawn in place as its data changes. */
export function Chart(props: { title: string; series: readonly MetricSeries[]; minutes: number }) {
  // Read by the x scale at every redraw: the axis always spans the chosen window up to now,
  // even when a series has a single point (uPlot would otherwise pad it by years).
  const window = useRef(props.minutes);
  window.current = props.minutes;
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const shape = props.series.map((s) => s.label).join("\n");

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const options: uPlot.Options = {
      width: Math.max(240, element.clientWidth),
      height: 150,
      legend: { show: true, live: false },
      cursor: { points: { size: 6 } },
      scales: { x: { time: true, range: () => [Date.now() / 1000 - window.current * 60, Date.now() / 1000] } },
      axes: [{ stroke: "#64748b", grid: { stroke: "#eef2f7" } }, { stroke: "#64748b", grid: { stroke: "#eef2f7" }, size: 56 }],
      series: [{}, ...props.series.map((s) => ({ label: s.label, stroke: colorOf(s.label), width: 1.5, points: { show: true, size: 4 }, spanGaps: false }))],
    };
    plot.current = new uPlot(options, aligned(props.series), element);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(240, element.clientWidth), height: 150 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = undefined;
    };
  }, [shape]);

  useEffect(() => {
    plot.current?.setData(aligned(props.series));
  }, [props.series, props.minutes]);

  const points = props.series.reduce((n, s) => n + s.values.length, 0);
  return (
    <figure class="chart" data-chart={props.title}>
      <figcaption>{props.title}{points === 0 ? <span class="muted small"> · no data yet</span> : null}</figcaption>
      <div ref={host} />
    </figure>
  );
}
