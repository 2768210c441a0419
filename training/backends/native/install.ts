/**
 * The native route's kernels, installed on an initialised wasm backend, and the training parts that use them
 * (the batch-norm layer and Adam with native training paths). `uninstallNativeKernels` puts back what was there.
 */
import * as tf from "@tensorflow/tfjs";
import { replaceKernel } from "../../../src/core/wasm-kernels.ts";
import type { TrainingParts } from "../parts.ts";
import { adamKernel, nativeAdam } from "./adam.ts";
import { batchNormKernels, installBatchNormKernels, nativeBatchNormalization } from "./batch-norm.ts";
import { installConvKernels, uninstallConvKernels } from "./conv.ts";
import type { Dnnl } from "./dnnl.ts";
import { installElementwiseKernels, uninstallElementwiseKernels } from "./elementwise.ts";
import { installMatmulKernels, uninstallMatmulKernels } from "./matmul.ts";

export const NATIVE_PARTS: TrainingParts = {
  layers: { batchNormalization: nativeBatchNormalization },
  adam: (learningRate, beta1) => nativeAdam(learningRate, beta1),
};

export function installNativeKernels(dnnl: Dnnl, backendName = "wasm"): void {
  installConvKernels(dnnl, backendName);
  installMatmulKernels(dnnl, backendName);
  installBatchNormKernels(dnnl, backendName);
  installElementwiseKernels(dnnl, backendName);
  replaceKernel(adamKernel(dnnl, backendName));
}

export function uninstallNativeKernels(backendName = "wasm"): void {
  uninstallConvKernels(backendName);
  uninstallMatmulKernels(backendName);
  uninstallElementwiseKernels(backendName);
  for (const name of [...batchNormKernels({} as Dnnl, backendName).map((k) => k.kernelName), "NativeAdamUpdate"]) {
    if (tf.getKernel(name, backendName)) tf.unregisterKernel(name, backendName);
  }
}
