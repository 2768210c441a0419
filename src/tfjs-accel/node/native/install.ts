/**
 * The native route's kernels, installed on an initialised wasm backend, and the training parts that use them
 * (the batch-norm layer and Adam with native training paths). `uninstallNativeKernels` puts back what was there.
 */
import * as tf from "@tensorflow/tfjs";
import { type NormalSampler, stockNormals, type TrainingParts } from "../../parts.ts";
import { replaceKernel } from "../../registry.ts";
import { adamKernel, nativeAdam } from "./adam.ts";
import { batchNormKernels, installBatchNormKernels, nativeBatchNormalization } from "./batch-norm.ts";
import { installConvKernels, uninstallConvKernels } from "./conv.ts";
import { installLazyConv, LAZY_CONV, nativeConv2d } from "./conv-layer.ts";
import type { Dnnl } from "./dnnl.ts";
import { installElementwiseKernels, uninstallElementwiseKernels } from "./elementwise.ts";
import { installMatmulKernels, uninstallMatmulKernels } from "./matmul.ts";
import { nativeNormals } from "./noise.ts";

let normals: NormalSampler = stockNormals;

export const NATIVE_PARTS: TrainingParts = {
  layers: { batchNormalization: nativeBatchNormalization, conv2d: nativeConv2d },
  adam: (learningRate, beta1, beta2) => nativeAdam(learningRate, beta1, beta2),
  normals: (shape, mean, stdDev, seed) => normals(shape, mean, stdDev, seed),
};

export function installNativeKernels(dnnl: Dnnl, backendName = "wasm"): void {
  installConvKernels(dnnl, backendName);
  installMatmulKernels(dnnl, backendName);
  installBatchNormKernels(dnnl, backendName);
  installElementwiseKernels(dnnl, backendName);
  replaceKernel(adamKernel(dnnl, backendName));
  installLazyConv(backendName);
  normals = nativeNormals(dnnl);
}

export function uninstallNativeKernels(backendName = "wasm"): void {
  normals = stockNormals;
  uninstallConvKernels(backendName);
  uninstallMatmulKernels(backendName);
  uninstallElementwiseKernels(backendName);
  for (const name of [
    ...batchNormKernels({} as Dnnl, backendName).map((k) => k.kernelName),
    "NativeAdamUpdate",
    LAZY_CONV,
  ]) {
    if (tf.getKernel(name, backendName)) tf.unregisterKernel(name, backendName);
  }
}
