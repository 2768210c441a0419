/**
 * The loss-curve picture (SVG), redrawn from the training log with vega-lite: losses on top, D's mean
 * output on real and fake batches below — a collapsing D (outputs pinned to 0/1) shows at a glance.
 */
import { writeFileSync } from "node:fs";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { LogLine } from "./train-log.ts";

function chartSpec(lines: LogLine[]): TopLevelSpec {
  const rows = lines.flatMap((line) => [
    { step: line.step, series: "loss D", value: line.lossD, panel: "losses" },
    { step: line.step, series: "loss G", value: line.lossG, panel: "losses" },
    { step: line.step, series: "D(real)", value: line.dReal, panel: "D output" },
    { step: line.step, series: "D(fake)", value: line.dFake, panel: "D output" },
  ]);
  const panel = (name: string, title: string) => ({
    transform: [{ filter: `datum.panel === '${name}'` }],
    mark: { type: "line" as const, strokeWidth: 1.2 },
    width: 640,
    height: 180,
    encoding: {
      x: { field: "step", type: "quantitative" as const, title: "step" },
      y: { field: "value", type: "quantitative" as const, title },
      color: { field: "series", type: "nominal" as const, title: null },
    },
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    data: { values: rows },
    vconcat: [panel("losses", "loss"), panel("D output", "mean sigmoid(D)")],
    config: { background: "white" },
  };
}

export async function writeLossCurve(lines: LogLine[], file: string): Promise<void> {
  const view = new vega.View(vega.parse(compile(chartSpec(lines)).spec), { renderer: "none" });
  writeFileSync(file, await view.toSVG());
  view.finalize();
}
