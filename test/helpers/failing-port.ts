import { type AppendFile, nodeWritePort, type WritePort } from "../../src/dossier/write-port.js";

/** A system error as Node gives it (`code` ENOSPC, EACCES...). */
export function systemError(code: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: refused, '${path}'`), { code, path, errno: -1, syscall: "write" });
}

/**
 * The disk, refusing as a full or read-only one would: every write under `under` fails with `code` once
 * `budget` bytes were written there (0: from the first write; folders and renames count as 512 bytes, a full
 * disk refuses them too). `refused` counts the refusals.
 */
export function failingPort(options: {
  code: string;
  under: readonly string[];
  budget?: number;
}): WritePort & {
  refused: number;
  written: number;
} {
  const base = nodeWritePort;
  const concerned = (path: string) => options.under.some((dir) => path === dir || path.startsWith(`${dir}/`));
  const port = {
    refused: 0,
    written: 0,
    take(path: string, bytes: number): void {
      if (!concerned(path)) return;
      if (port.written + bytes > (options.budget ?? 0)) {
        port.refused += 1;
        throw systemError(options.code, path);
      }
      port.written += bytes;
    },
    async mkdir(path: string, opts?: { recursive?: boolean }) {
      port.take(path, 512);
      return base.mkdir(path, opts);
    },
    async writeNew(path: string, bytes: Uint8Array, sync: boolean) {
      port.take(path, bytes.length);
      return base.writeNew(path, bytes, sync);
    },
    async create(path: string): Promise<AppendFile> {
      port.take(path, 0);
      const file = await base.create(path);
      return {
        async append(bytes: Uint8Array) {
          port.take(path, bytes.length);
          await file.append(bytes);
        },
        close: () => file.close(),
      };
    },
    async rename(from: string, to: string) {
      port.take(to, 0);
      return base.rename(from, to);
    },
  };
  return port;
}
