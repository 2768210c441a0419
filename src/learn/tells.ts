/**
 * What gives DCGAN fakes away: whichfaceisreal.com's artifact tips (West & Bergstrom), adapted to a small
 * 64×64 DCGAN trained on CelebA. One list for the lesson after each round and the "How to spot a fake" page.
 */
export interface Tell {
  id: string;
  title: string;
  /** One or two sentences: what to look at and why the generator gets it wrong. */
  lesson: string;
}

export const TELLS: readonly Tell[] = [
  {
    id: "checkerboard",
    title: "A faint grid in smooth skin",
    lesson:
      "Look at cheeks and forehead. The generator paints by upsampling with transposed convolutions, which often " +
      "leave a regular checkerboard or speckle pattern where a photo would be smooth.",
  },
  {
    id: "hairline",
    title: "Blobs where hair meets background",
    lesson:
      "Follow the outline of the hair. Fakes smear it into the background with water-splotch blobs, halos or " +
      "strands that start and stop for no reason.",
  },
  {
    id: "background",
    title: "A background that is about nothing",
    lesson:
      "Real CelebA photos were taken somewhere: walls, crowds, posters, other people's shoulders. A fake's " +
      "background is a colourful smear with no objects you could name.",
  },
  {
    id: "eyes",
    title: "Eyes that don't agree",
    lesson:
      "Compare the two eyes: size, shape, colour, where the pupils point, and the little reflections of the light. " +
      "In a photo both eyes see the same light; a generator draws each one separately.",
  },
  {
    id: "symmetry",
    title: "Left and right that don't match",
    lesson:
      "Earrings, ears, collars and glasses frames should be pairs. Fakes often give one side an earring and the " +
      "other none, or glasses whose frame changes shape halfway across.",
  },
  {
    id: "mouth",
    title: "Teeth in a blur",
    lesson:
      "Check the smile. Small GANs draw teeth as a single pale bar or an odd number of uneven teeth, and lips that " +
      "fade into the skin.",
  },
  {
    id: "colour",
    title: "Colours that bleed",
    lesson:
      "Look for skin tone leaking into hair or background, and green or purple tints in shadows. A camera records " +
      "one consistent light; the generator mixes colours from many training photos.",
  },
  {
    id: "shape",
    title: "A face that melts at the edges",
    lesson:
      "Trace the jaw, chin and neck. Fakes get the middle of the face right and lose their nerve at the edges: " +
      "doubled contours, a chin that dissolves, a neck that joins the wrong way.",
  },
];

/** The lesson for a given round: every player walks through all of them before any repeats. */
export function tellForRound(roundIndex: number): Tell {
  return TELLS[roundIndex % TELLS.length] as Tell;
}
