/**
 * The registry's commands on a models folder of real (tiny) exported versions, through the API and the CLI.
 */
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeEach, describe, expect, it } from "vitest";
import { rotation } from "../../src/core/in-rotation.ts";
import { readManifest } from "../../src/model-manifest-file.ts";
import { USER_ERROR_EXIT_CODE } from "../cli/run-command.ts";
import { DeployRefused, deploy, recordEvaluation, retire, rollbackRotation } from "./operations.ts";
import { testMetrics, writeVersion } from "./testing/versions.ts";

const CLI = fileURLToPath(new URL("./cli.ts", import.meta.url));
const run = promisify(execFile);

let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "stf-registry-"));
  await writeVersion(dir, "good", testMetrics({ faceFd: 0.2, detectionRate: 0.8 }));
  await writeVersion(dir, "better", testMetrics({ faceFd: 0.15, detectionRate: 0.9 }));
  await writeVersion(dir, "worse", testMetrics({ faceFd: 0.3, detectionRate: 0.6 }));
  await writeVersion(dir, "unevaluated");
});

const active = () => rotation(readManifest(dir)).map((e) => `${e.version}:${e.weight}`);

describe("deploy", () => {
  it("refuses a worse version, with the numbers, and leaves the rotation alone", async () => {
    await deploy(dir, "good");
    const refusal = await deploy(dir, "worse").catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DeployRefused);
    expect((refusal as Error).message).toContain("face FD 0.3000 vs best active 0.2000 (good)");
    expect((refusal as Error).message).toContain("detection 60.0 % vs best active 80.0 % (good)");
    expect(active()).toEqual(["good:1"]);
    expect(readManifest(dir).history).toHaveLength(1);
  });

  it("accepts a better version alongside, with its weight", async () => {
    await deploy(dir, "good");
    const result = await deploy(dir, "better", { weight: 3 });
    expect(result.verdict.accepted).toBe(true);
    expect(active()).toEqual(["good:1", "better:3"]);
    expect(readManifest(dir).versions[1]?.metadata?.metrics?.faceFd).toBe(0.15);
  });

  it("deploys a worse version when forced, and says so", async () => {
    await deploy(dir, "good");
    const result = await deploy(dir, "worse", { force: true });
    expect(result.forced).toBe(true);
    expect(active()).toEqual(["good:1", "worse:1"]);
  });

  it("refuses an unevaluated version and a missing one", async () => {
    await expect(deploy(dir, "unevaluated")).rejects.toThrow(/model:evaluate -- unevaluated/);
    await expect(deploy(dir, "nowhere")).rejects.toThrow(/No exported version "nowhere"/);
  });

  it("judges against the metrics in metadata.json, as re-evaluated since the deploy", async () => {
    await deploy(dir, "good");
    await writeVersion(dir, "good", testMetrics({ faceFd: 0.1, detectionRate: 0.95 }));
    await recordEvaluation(dir, "good");
    await expect(deploy(dir, "better")).rejects.toThrow(/best active 0.1000 \(good\)/);
  });
});

describe("retire and rollback", () => {
  it("retires a version but not the last one in rotation unless forced", async () => {
    await deploy(dir, "good");
    await deploy(dir, "better");
    await retire(dir, "good");
    expect(active()).toEqual(["better:1"]);
    await expect(retire(dir, "better")).rejects.toThrow(/last version in rotation/);
    await retire(dir, "better", { force: true });
    expect(active()).toEqual([]);
  });

  it("rolls back to the previous rotation, one change at a time", async () => {
    await deploy(dir, "good");
    await deploy(dir, "better", { weight: 2 });
    await retire(dir, "good");
    await rollbackRotation(dir);
    expect(active()).toEqual(["good:1", "better:2"]);
    await rollbackRotation(dir);
    expect(active()).toEqual(["good:1"]);
    expect(readManifest(dir).versions.map((e) => e.status)).toEqual(["active", "candidate"]);
  });
});

describe("the CLI", () => {
  const cli = (...args: string[]) => run(process.execPath, ["--import", "tsx", CLI, "--models", dir, ...args]);

  it("exits non-zero with the numbers when the gate refuses, and deploys with --force", async () => {
    await cli("deploy", "good");
    const refused = await cli("deploy", "worse").catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: USER_ERROR_EXIT_CODE });
    expect((refused as { stderr: string }).stderr).toContain("face FD 0.3000 vs best active 0.2000 (good)");
    const forced = await cli("deploy", "worse", "--force", "--weight", "0.5");
    expect(forced.stdout).toContain("despite the gate");
    expect(active()).toEqual(["good:1", "worse:0.5"]);
  });

  it("lists every version, registered or not", async () => {
    await cli("deploy", "good", "--weight", "3");
    await cli("deploy", "better");
    const { stdout } = await cli("list");
    expect(stdout).toMatch(/good\s+active\s+3\s+75\.0 %/);
    expect(stdout).toMatch(/better\s+active\s+1\s+25\.0 %/);
    expect(stdout).toMatch(/unevaluated\s+unregistered/);
    expect(stdout).toContain("2 in rotation; 2 earlier rotations");
  });
});
