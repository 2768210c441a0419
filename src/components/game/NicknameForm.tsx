/** Optional nickname for the leaderboard; the player stays anonymous (a cookie) without one. */
import { useEffect, useState } from "preact/hooks";
import { currentNickname, setNickname } from "../../client/game/api.ts";

export function NicknameForm() {
  const [nickname, setValue] = useState("");
  const [status, setStatus] = useState<{ text: string; ok: boolean } | null>(null);
  useEffect(() => {
    currentNickname().then(
      (known) => known && setValue((typed) => typed || known),
      () => undefined,
    );
  }, []);
  const save = async (event: Event) => {
    event.preventDefault();
    try {
      await setNickname(nickname.trim());
      setStatus({ text: `Saved — you're on the leaderboard as “${nickname.trim()}”.`, ok: true });
    } catch (error) {
      setStatus({ text: error instanceof Error ? error.message : "Could not save the nickname.", ok: false });
    }
  };
  return (
    <form class="panel nickname" onSubmit={save}>
      <label for="nickname">Put a name on the leaderboard (optional)</label>
      <div class="nickname-row">
        <input
          id="nickname"
          name="nickname"
          type="text"
          maxLength={24}
          autoComplete="nickname"
          placeholder="e.g. EagleEye"
          value={nickname}
          onInput={(event) => setValue(event.currentTarget.value)}
          required
        />
        <button class="button button-ghost" type="submit">
          Save
        </button>
      </div>
      {status && (
        <p class={status.ok ? "status" : "status status-error"} role="status">
          {status.text}
        </p>
      )}
    </form>
  );
}
