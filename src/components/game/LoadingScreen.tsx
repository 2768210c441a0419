/** Shown while TensorFlow.js, the backend and the model come up; a real progress bar while weights download. */
export function LoadingScreen({ step, progress }: { step: string; progress: number | null }) {
  const percent = progress === null ? null : Math.round(progress * 100);
  return (
    <section class="loading panel" aria-live="polite" aria-busy="true">
      <div class="loading-faces" aria-hidden="true">
        <span />
        <span />
      </div>
      <p class="loading-step">{step}</p>
      <div
        class={percent === null ? "progress progress-indeterminate" : "progress"}
        role="progressbar"
        aria-label="Loading the face generator"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
      >
        <span style={percent === null ? undefined : { width: `${percent}%` }} />
      </div>
    </section>
  );
}
