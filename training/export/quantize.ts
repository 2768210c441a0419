/**
 * Weight quantization in the tfjs weights-manifest format, so `tf.loadLayersModel` dequantizes on load:
 * uint8 (affine per tensor: value = q · scale + min) or float16 (IEEE half). tfjs's JS packages ship only
 * the decoders (the encoders live in the Python converter), hence these few lines.
 */
import type * as tf from "@tensorflow/tfjs";

export type QuantDtype = "uint8" | "float16" | "float32";

export interface QuantizedWeights {
  specs: tf.io.WeightsManifestEntry[];
  data: ArrayBuffer;
}

export function quantizeWeights(
  specs: tf.io.WeightsManifestEntry[],
  data: ArrayBuffer,
  dtype: QuantDtype,
): QuantizedWeights {
  const floats = new Float32Array(data);
  const parts: Uint8Array[] = [];
  const outSpecs: tf.io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== "float32") throw new Error(`cannot quantize ${spec.name}: dtype ${spec.dtype}`);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const values = floats.subarray(offset, offset + size);
    offset += size;
    if (dtype === "float32") {
      parts.push(new Uint8Array(values.slice().buffer));
      outSpecs.push(spec);
    } else if (dtype === "float16") {
      parts.push(new Uint8Array(toFloat16(values).buffer));
      outSpecs.push({ ...spec, quantization: { dtype: "float16" } });
    } else {
      const { bytes, scale, min } = toUint8(values);
      parts.push(bytes);
      outSpecs.push({ ...spec, quantization: { dtype: "uint8", scale, min } });
    }
  }
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const joined = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return { specs: outSpecs, data: joined.buffer };
}

function toUint8(values: Float32Array): { bytes: Uint8Array; scale: number; min: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // A constant tensor (e.g. a fresh bias) still needs a non-zero scale to decode.
  const scale = max > min ? (max - min) / 255 : 1;
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) bytes[i] = Math.round(((values[i] as number) - min) / scale);
  return { bytes, scale, min };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → IEEE 754 half, rounding to nearest even; overflow goes to ±Infinity. */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    return sign | (half + (rest > midpoint || (rest === midpoint && half & 1) ? 1 : 0));
  }
  const rest = mantissa & 0x1fff;
  let half = (e << 10) | (mantissa >>> 13);
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half += 1;
  return sign | half;
}

function toFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = float32ToFloat16Bits(values[i] as number);
  return out;
}
