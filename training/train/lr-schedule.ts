/**
 * The learning-rate schedule: constant, then (optionally) a straight line down to zero.
 *
 * At a constant rate the long runs stop improving at a plateau (docs/training-runs.md) while G and D keep
 * chasing each other; annealing the rates to zero at the end (as SNGAN and BigGAN's small-data recipes do) lets
 * them settle. The schedule depends only on the step, so a stopped run resumes on the same line.
 */
import type * as tf from "@tensorflow/tfjs";

export interface LrSchedule {
  /** The step at which the rates start to fall (0 with `lrDecaySteps` 0: constant rates). */
  lrDecayFrom: number;
  /** Steps from full rates to zero (0: no decay). */
  lrDecaySteps: number;
}

/** The share of the base learning rates in force for the step that follows `step` steps of training. */
export function lrFactor(schedule: LrSchedule, step: number): number {
  if (schedule.lrDecaySteps <= 0 || step < schedule.lrDecayFrom) return 1;
  return Math.max(0, 1 - (step - schedule.lrDecayFrom) / schedule.lrDecaySteps);
}

/**
 * tfjs's Adam (and the native one, which subclasses it) reads its `learningRate` field on every update and
 * offers no setter; the field is the documented constructor argument, kept as a plain property.
 */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const adam = optimizer as unknown as { learningRate: number };
  if (typeof adam.learningRate !== "number") throw new Error("the optimizer has no learningRate to schedule");
  adam.learningRate = learningRate;
}
