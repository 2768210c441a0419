/**
 * The leaderboard's chart: fool-rate per model version, one bar per mode and sampling policy, the 95 %
 * interval in the tooltip. Chart.js is registered piecemeal so only the bar chart's code ships.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

export interface RatePoint {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

export interface ChartData {
  readonly versions: readonly string[];
  /** Per mode and policy: one point per version, null where there is not enough data yet. */
  readonly series: readonly {
    readonly mode: string;
    readonly policy: string;
    readonly points: readonly (RatePoint | null)[];
  }[];
}

const MODE_COLOURS: Record<string, string> = { pair: "#5aa9e6", single: "#f4a259", timed: "#bc4b51" };
/** Curated fakes in a darker shade of their mode's colour, so the two policies sit side by side. */
const CURATED_COLOURS: Record<string, string> = { pair: "#1d6fa5", single: "#b86414", timed: "#7a2a30" };
const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

export function drawFoolRateChart(canvas: HTMLCanvasElement, data: ChartData): Chart {
  // Labels and grid in the page's own text colour (Chart.js defaults to a grey meant for white pages).
  const text = getComputedStyle(canvas).color;
  Chart.defaults.color = text;
  Chart.defaults.borderColor = "rgb(128 128 128 / 30%)";
  return new Chart(canvas, {
    type: "bar",
    data: {
      labels: [...data.versions],
      datasets: data.series.map(({ mode, policy, points }) => ({
        label: `${mode} · ${policy}`,
        data: points.map((point) => point?.estimate ?? null),
        backgroundColor: (policy === "curated" ? CURATED_COLOURS : MODE_COLOURS)[mode] ?? "#999999",
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        y: {
          min: 0,
          max: 1,
          title: { display: true, text: "fool-rate (fakes judged real)" },
          ticks: { callback: (v) => percent(Number(v)) },
        },
        x: { title: { display: true, text: "model version" } },
      },
      plugins: {
        tooltip: {
          callbacks: {
            label: (item) => {
              const point = data.series[item.datasetIndex]?.points[item.dataIndex];
              if (!point) return `${item.dataset.label}: not enough data yet`;
              return `${item.dataset.label}: ${percent(point.estimate)} (95 % CI ${percent(point.low)}–${percent(point.high)})`;
            },
          },
        },
      },
    },
  });
}
