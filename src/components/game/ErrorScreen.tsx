/** Something on the way failed (network, server, no usable backend): say what, offer a retry. */
export function ErrorScreen(props: { message: string; onRetry: () => void; onBack: () => void }) {
  return (
    <section class="error panel" role="alert">
      <h2>Something went wrong</h2>
      <p>{props.message}</p>
      <div class="actions">
        <button class="button button-primary" type="button" onClick={props.onRetry}>
          Try again
        </button>
        <button class="button button-ghost" type="button" onClick={props.onBack}>
          Back to the start
        </button>
      </div>
    </section>
  );
}
