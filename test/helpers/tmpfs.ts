import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

/**
 * A real small disk where root allows: a tmpfs mounted at `<dir>/<name>` (`size=1m`, or `ro` for a read-only
 * one). Elsewhere (not root, no mount allowed), the reason, printed, for the test to be skipped.
 */
export function mountTmpfs(
  dir: string,
  name: string,
  options: string,
): { path: string; unmount: () => void } | { skip: string } {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", path], { stdio: "pipe" });
  } catch (error) {
    const skip = `tmpfs (${options}) impossible à monter ici, test sauté : ${String((error as Error).message).split("\n")[0]}`;
    console.log(skip);
    return { skip };
  }
  return { path, unmount: () => execFileSync("umount", [path], { stdio: "pipe" }) };
}
