/**
 * tf.randomNormal's numbers, drawn natively: the real batch's instance noise is 786 k Gaussian numbers per
 * step, ~20 ms of JavaScript, as long as batch norm's whole forward pass on the native route.
 *
 * Bit for bit the same tensor as tf.randomNormal(shape, mean, std, "float32", seed): tfjs seeds seedrandom's alea
 * with String(seed) and draws Marsaglia polar pairs from it; the addon continues from the same alea state with
 * the same double arithmetic, so a run is the same on every route and resumes on any of them.
 */
import * as tf from "@tensorflow/tfjs";
import seedrandom from "seedrandom";
import type { NormalSampler } from "../../parts.ts";
import type { Dnnl } from "./dnnl.ts";

interface AleaState {
  s0: number;
  s1: number;
  s2: number;
  c: number;
}

export function nativeNormals(dnnl: Dnnl): NormalSampler {
  return (shape, mean, stdDev, seed) => {
    // tfjs takes a seed of 0 as "no seed" (Math.random): leave that case to it.
    if (!seed) return tf.randomNormal(shape, mean, stdDev, "float32", seed);
    const { s0, s1, s2, c } = seedrandom.alea(String(seed), { state: true }).state() as unknown as AleaState;
    const values = new Float32Array(shape.reduce((size, d) => size * d, 1));
    dnnl.normals(Float64Array.of(s0, s1, s2, c), mean, stdDev, values);
    return tf.tensor(values, shape, "float32");
  };
}
