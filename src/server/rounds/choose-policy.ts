/**
 * Which sampling policy a round uses: drawn from the version's mix in the rotation (manifest.json), before
 * the round's slots, so rounds that show only a real face belong to a policy too. `curated` needs the
 * version's seed bank; without one the round is random and says so, because the recorded policy must be
 * the one that really drew the fake.
 */
import { type PolicyMix, SAMPLING_POLICIES, type SamplingPolicy } from "../../core/sampling-policy.ts";
import type { SeedBank } from "../../core/seed-bank.ts";

export function choosePolicy(mix: PolicyMix, bank: SeedBank | null, unit: () => number): SamplingPolicy {
  const drawn = weightedPolicy(mix, unit);
  return drawn === "curated" && bank === null ? "random" : drawn;
}

function weightedPolicy(mix: PolicyMix, unit: () => number): SamplingPolicy {
  const offered = SAMPLING_POLICIES.filter((policy) => (mix[policy] ?? 0) > 0);
  // A single policy (the usual random-only mix) costs no random draw.
  if (offered.length <= 1) return offered[0] ?? "random";
  const total = offered.reduce((sum, policy) => sum + (mix[policy] ?? 0), 0);
  let point = unit() * total;
  for (const policy of offered) {
    point -= mix[policy] ?? 0;
    if (point < 0) return policy;
  }
  return offered.at(-1) as SamplingPolicy;
}
