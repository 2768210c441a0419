/**
 * Group commit: small writes from concurrent requests, committed together. Every statement submitted in
 * the same turn of the event loop (up to a batch limit) runs in one write transaction, so a burst of
 * answers costs one commit (one WAL append, or one round trip to a libsql server) instead of one each.
 * Each caller's promise settles only after its batch has committed, so a reply that says "recorded" is
 * never ahead of the database: acknowledged writes survive a crash exactly as single writes do.
 *
 * One batch is in flight at a time: writes that arrive while it commits wait and go together in the next,
 * so the slower the commits (a libsql server across a network), the bigger the batches, and this process
 * never holds more than one write transaction.
 *
 * A failing statement would roll back its whole batch, so a failed batch is retried one statement at a
 * time: only the statement that really fails rejects.
 */
import type { Client, InStatement, ResultSet } from "@libsql/client";

interface Pending {
  readonly statement: InStatement;
  readonly resolve: (result: ResultSet) => void;
  readonly reject: (error: unknown) => void;
}

/** Enough to amortise a commit many times over, small enough to keep one batch's latency short. */
const MAX_BATCH = 128;

export class GroupCommit {
  #queue: Pending[] = [];
  #scheduled = false;
  #committing = false;

  constructor(
    private readonly client: Client,
    private readonly maxBatch = MAX_BATCH,
  ) {}

  execute(statement: InStatement): Promise<ResultSet> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ statement, resolve, reject });
      if (this.#queue.length >= this.maxBatch) this.#flush();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        // After this turn's I/O callbacks: every request read in this turn joins the batch.
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    if (this.#committing || this.#queue.length === 0) return;
    const batch = this.#queue.splice(0, this.maxBatch);
    this.#committing = true;
    void this.#commit(batch).finally(() => {
      this.#committing = false;
      this.#flush();
    });
  }

  async #commit(batch: readonly Pending[]): Promise<void> {
    let results: ResultSet[];
    try {
      results = await this.client.batch(
        batch.map((pending) => pending.statement),
        "write",
      );
    } catch {
      for (const pending of batch) {
        await this.client.execute(pending.statement).then(pending.resolve, pending.reject);
      }
      return;
    }
    for (const [i, pending] of batch.entries()) pending.resolve(results[i] as ResultSet);
  }
}
