import { writeFileSync } from "node:fs";
import { mkdir, open, rename, stat } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Every call by which the dossier writers and a batch's report put bytes on the disk. Injected (CliIo.files) so
 * that tests can make the disk refuse, as a full disk (ENOSPC) or a read-only folder (EACCES, EROFS) would, at
 * any point; the default is Node's file system. Reading and removing stay direct: they are not what fails when
 * a disk fills.
 */
export interface WritePort {
  mkdir(path: string, options?: { recursive?: boolean }): Promise<unknown>;
  /**
   * Writes a file that must not exist yet. `sync`: forced to disk before returning (else written with one
   * synchronous call, as a batch does).
   */
  writeNew(path: string, bytes: Uint8Array, sync: boolean): Promise<void>;
  /** Creates (or empties) a file to append to: each `append` writes all its bytes or fails. */
  create(path: string): Promise<AppendFile>;
  rename(from: string, to: string): Promise<void>;
}

export interface AppendFile {
  append(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/**
 * `mkdir`, with the true reason when a recursive one fails: Node reports ENOENT for a folder it could not create
 * on a read-only disk; creating the first missing folder alone gives the system's own code (EROFS, EACCES).
 */
async function makeFolder(path: string, options?: { recursive?: boolean }): Promise<unknown> {
  try {
    return await mkdir(path, options);
  } catch (error) {
    if (!options?.recursive || (error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    let missing = path;
    while (dirname(missing) !== missing && !(await exists(dirname(missing)))) missing = dirname(missing);
    await mkdir(missing);
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export const nodeWritePort: WritePort = {
  mkdir: makeFolder,
  async writeNew(path, bytes, sync) {
    if (!sync) {
      writeFileSync(path, bytes, { flag: "wx", mode: 0o644 });
      return;
    }
    const handle = await open(path, "wx", 0o644);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async create(path) {
    const handle = await open(path, "w", 0o644);
    return {
      async append(bytes) {
        // A write may take fewer bytes than given (a disk filling up): loop until all are taken or it fails.
        let done = 0;
        while (done < bytes.length) {
          const { bytesWritten } = await handle.write(bytes, done, bytes.length - done);
          if (bytesWritten === 0) throw Object.assign(new Error("ENOSPC"), { code: "ENOSPC" });
          done += bytesWritten;
        }
      },
      close: () => handle.close(),
    };
  },
  rename: (from, to) => rename(from, to),
};

/** The file-system error code of a failed write (ENOSPC, EACCES…), or undefined for any other error. */
export function systemCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/**
 * Codes by which the system refuses writing (a full disk, a quota, a read-only disk or share, a folder without
 * write permission, a failing disk): a batch stops on them rather than failing each remaining line the same way.
 */
export const DISK_REFUSALS: ReadonlySet<string> = new Set([
  "ENOSPC",
  "EDQUOT",
  "EROFS",
  "EACCES",
  "EPERM",
  "EIO",
]);

/** The system refused a write in `dir` (a folder as the user knows it): `code` says why (ENOSPC...). */
export class WriteRefused extends Error {
  constructor(
    readonly code: string,
    readonly dir: string,
  ) {
    super(`${code} : ${dir}`);
    this.name = "WriteRefused";
  }
}

/** `error` as a WriteRefused in `dir` when the system refused, else `error` itself. */
export function refusedIn(error: unknown, dir: string): unknown {
  if (error instanceof WriteRefused) return error;
  const code = systemCode(error);
  return code === undefined ? error : new WriteRefused(code, dir);
}
