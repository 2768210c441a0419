import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
export const BACKEND_NAMES = ["node-gpu", "webgpu", "node", "wasm", "cpu"] as const;
export type BackendName = "auto" | (typeof BACKEND_NAMES)[number];
export interface BackendChoice { name: string; threads: number; reasons: string[] }
export async function selectBackend(requested: BackendName, _o: { threads?: number; log?: (m: string) => void }): Promise<BackendChoice> {
  const name = requested === "auto" ? "wasm" : requested;
  await tf.setBackend(name);
  await tf.ready();
  return { name, threads: 1, reasons: [] };
}
