import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchReport } from "./report.ts";
import { renderSvg } from "./svg.ts";

export const RESULTS_DIR = fileURLToPath(new URL("./results/", import.meta.url));

/** Writes <timestamp>.json/.md/.svg and latest.*; returns the paths written. */
export function writeResults(report: BenchReport, markdown: string, dir = RESULTS_DIR): string[] {
  mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, "-");
  const files: Record<string, string> = {
    json: `${JSON.stringify(report, null, 2)}\n`,
    md: `${markdown}\n![throughput and p99 per second](${stamp}.svg)\n`,
    svg: renderSvg(report),
  };
  const written: string[] = [];
  for (const [ext, text] of Object.entries(files)) {
    for (const name of [stamp, "latest"]) {
      // latest.md must point at latest.svg, not at the stamped chart.
      const content = name === "latest" && ext === "md" ? text.replace(`${stamp}.svg`, "latest.svg") : text;
      writeFileSync(join(dir, `${name}.${ext}`), content);
      written.push(join(dir, `${name}.${ext}`));
    }
  }
  return written.filter((path) => !path.includes("latest"));
}
