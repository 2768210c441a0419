import { describe, expect, it } from "vitest";
import { rotation } from "../../src/core/in-rotation.ts";
import { type Manifest, ManifestSchema, type ModelMetadata } from "../../src/core/model-manifest.ts";
import { deployVersion, HISTORY_LIMIT, recordMetadata, retireVersion, rollback } from "./rotation.ts";

const metadata = (version: string) => ({ version }) as ModelMetadata;
const now = new Date("2026-01-01T00:00:00Z");
const empty: Manifest = { versions: [], history: [] };
const statuses = (m: Manifest) => Object.fromEntries(m.versions.map((e) => [e.version, `${e.status}:${e.weight}`]));

describe("rotation changes", () => {
  it("deploys, reweights, retires and rolls back step by step", () => {
    const one = deployVersion(empty, metadata("v1"), 1, now);
    const two = deployVersion(one, metadata("v2"), 3, now);
    const reweighted = deployVersion(two, metadata("v1"), 2, now);
    const retired = retireVersion(reweighted, "v1", now);
    expect(statuses(retired)).toEqual({ v1: "retired:2", v2: "active:3" });
    expect(rotation(retired).map((e) => e.version)).toEqual(["v2"]);

    expect(statuses(rollback(retired))).toEqual(statuses(reweighted));
    expect(statuses(rollback(rollback(retired)))).toEqual(statuses(two));
    // v2 did not exist before its deploy: it stays listed, out of rotation.
    expect(statuses(rollback(rollback(rollback(retired))))).toEqual({ v1: "active:1", v2: "candidate:3" });
    const first = rollback(rollback(rollback(rollback(retired))));
    expect(statuses(first)).toEqual({ v1: "candidate:1", v2: "candidate:3" });
    expect(() => rollback(first)).toThrow(/Nothing to roll back/);
  });

  it("keeps a version's sampling-policy mix through a redeploy, a retirement and a rollback", () => {
    const deployed = deployVersion(empty, metadata("v1"), 1, now);
    const mixed: Manifest = {
      ...deployed,
      versions: [{ ...deployed.versions[0], policies: { curated: 1, random: 1 } }] as Manifest["versions"],
    };
    const reweighted = deployVersion(mixed, metadata("v1"), 2, now);
    expect(reweighted.versions[0]?.policies).toEqual({ curated: 1, random: 1 });
    expect(rollback(retireVersion(reweighted, "v1", now)).versions[0]?.policies).toEqual({ curated: 1, random: 1 });
  });

  it("keeps the metadata out of the history and the manifest valid", () => {
    const deployed = deployVersion(deployVersion(empty, metadata("v1"), 1, now), metadata("v2"), 1, now);
    expect(deployed.history.at(-1)?.versions[0]).not.toHaveProperty("metadata");
    expect(deployed.versions[0]?.metadata).toEqual(metadata("v1"));
  });

  it("bounds the history", () => {
    let manifest = empty;
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) manifest = deployVersion(manifest, metadata("v1"), i + 1, now);
    expect(manifest.history).toHaveLength(HISTORY_LIMIT);
  });

  it("refuses nonsense", () => {
    expect(() => deployVersion(empty, metadata("v1"), 0, now)).toThrow(/weight/);
    expect(() => retireVersion(empty, "v1", now)).toThrow(/not in the registry/);
    const retired = retireVersion(deployVersion(empty, metadata("v1"), 1, now), "v1", now);
    expect(() => retireVersion(retired, "v1", now)).toThrow(/already retired/);
  });

  it("records fresh metadata without touching the rotation", () => {
    const deployed = deployVersion(empty, metadata("v1"), 1, now);
    const updated = recordMetadata(deployed, { ...metadata("v1"), createdAt: "later" }, now);
    expect(updated.history).toEqual(deployed.history);
    expect(updated.versions[0]).toMatchObject({ status: "active", metadata: { createdAt: "later" } });
    const added = recordMetadata(updated, metadata("v2"), now);
    expect(statuses(added)).toEqual({ v1: "active:1", v2: "candidate:0" });
  });
});

describe("manifest schema", () => {
  it("reads a manifest written before history existed", () => {
    expect(ManifestSchema.parse({ versions: [] })).toEqual({ versions: [], history: [] });
  });
});
