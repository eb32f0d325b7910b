import type { BenchReport } from "./report.ts";

interface Series {
  readonly label: string;
  readonly color: string;
  readonly values: readonly number[];
}

const WIDTH = 720;
const PANEL = 200;
const MARGIN = 48;

/** One panel: lines over seconds, y from 0 to the largest value; NaN points are skipped. */
function panel(title: string, series: readonly Series[], top: number, seconds: number): string {
  const max = Math.max(1, ...series.flatMap((s) => s.values.filter((v) => Number.isFinite(v))));
  const x = (i: number) => MARGIN + ((i + 0.5) / Math.max(1, seconds)) * (WIDTH - 2 * MARGIN);
  const y = (v: number) => top + PANEL - (v / max) * PANEL;
  const parts = [
    `<text x="${MARGIN}" y="${top - 8}" font-size="13">${title} (max ${max.toFixed(0)})</text>`,
    `<rect x="${MARGIN}" y="${top}" width="${WIDTH - 2 * MARGIN}" height="${PANEL}" fill="none" stroke="#ccc"/>`,
  ];
  series.forEach((s, k) => {
    const points = s.values.flatMap((v, i) => (Number.isFinite(v) ? [`${x(i).toFixed(1)},${y(v).toFixed(1)}`] : []));
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${points.join(" ")}"/>`);
    parts.push(`<text x="${WIDTH - MARGIN - 200}" y="${top + 16 + 14 * k}" font-size="11" fill="${s.color}">${s.label}</text>`);
  });
  return parts.join("\n");
}

/** Throughput and accept p99 per second of the run, as a small self-contained SVG. */
export function renderSvg(report: BenchReport): string {
  const a = report.acceptPath.perSecond;
  const seconds = Math.max(a.accepted.length, report.pipeline.perSecond.completed.length);
  const throughput: Series[] = [
    { label: "accepted /s", color: "#1f77b4", values: a.accepted },
    { label: "completed /s", color: "#2ca02c", values: report.pipeline.perSecond.completed },
  ];
  const latency: Series[] = [{ label: "accept p99 (ms)", color: "#d62728", values: a.acceptP99Ms }];
  if (report.ceiling) latency.push({ label: "ceiling p99 (ms)", color: "#999", values: report.ceiling.perSecond.acceptP99Ms });
  const height = 2 * PANEL + 3 * MARGIN;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif">`,
    panel(`Throughput per second, ${report.options.rate}/s offered`, throughput, MARGIN, seconds),
    panel("Accept latency p99 per second", latency, 2 * MARGIN + PANEL, seconds),
    `<text x="${MARGIN}" y="${height - 8}" font-size="11">seconds since the load started (0–${seconds})</text>`,
    "</svg>",
    "",
  ].join("\n");
}
