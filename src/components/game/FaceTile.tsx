/**
 * One face on screen. Real or fake, it is the same element with the same attributes: a canvas the size of
 * the model's output, filled by drawFace(). Only after the answer does a badge say what it was.
 */
import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";
import { clearFace, drawFace } from "../../client/faces/draw.ts";
import type { FacePixels } from "../../client/faces/face-pixels.ts";

interface FaceTileProps {
  pixels: FacePixels | null;
  /** Neutral, position-only name: "Left face", "Right face", "The face". */
  label: string;
  /** Pair mode: the tile itself is the answer button. */
  onPick?: () => void;
  disabled?: boolean;
  badge?: { text: string; tone: "real" | "fake" } | null;
  highlighted?: boolean;
  children?: ComponentChildren;
}

export function FaceTile(props: FaceTileProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    if (!canvas.current) return;
    if (props.pixels) drawFace(canvas.current, props.pixels);
    else clearFace(canvas.current);
  }, [props.pixels]);

  const frameClass = `face-frame${props.highlighted ? " face-picked" : ""}${props.badge ? ` face-${props.badge.tone}` : ""}`;
  const face = (
    <span class={frameClass}>
      <canvas ref={canvas} class="face-canvas" width={64} height={64} />
      {props.children}
      {props.badge && <span class={`face-badge face-badge-${props.badge.tone}`}>{props.badge.text}</span>}
    </span>
  );
  if (props.onPick) {
    return (
      <button
        type="button"
        class="face-tile face-button"
        aria-label={props.label}
        disabled={props.disabled}
        onClick={props.onPick}
      >
        {face}
      </button>
    );
  }
  return (
    <div class="face-tile" role="img" aria-label={props.label}>
      {face}
    </div>
  );
}
