import { describe, expect, it } from "vitest";
import { FileArena } from "../../src/batch/arena.js";

const file = (name: string, ...bytes: number[]) => ({ name, bytes: Uint8Array.from(bytes) });

/** Two views of one shared buffer, as a worker and the main thread hold them. */
function pair(slots: number, slotBytes: number) {
  const size = { slots, slotBytes };
  const buffer = FileArena.allocate(size);
  return { worker: new FileArena(buffer, size), main: new FileArena(buffer, size) };
}

describe("FileArena", () => {
  it("hands a dossier's files from one side to the other, byte for byte, as views of the shared buffer", () => {
    const { worker, main } = pair(2, 16);
    const handoff = worker.put([file("a.pdf", 1, 2, 3), file("vide.txt"), file("b.json", 9)]);
    expect(handoff).toBeDefined();
    const files = main.take(handoff!);
    expect(files.map((f) => [f.name, [...f.bytes]])).toEqual([
      ["a.pdf", [1, 2, 3]],
      ["vide.txt", []],
      ["b.json", [9]],
    ]);
    expect(files.every((f) => f.bytes.buffer === main.buffer)).toBe(true);
  });

  it("never gives the same slot twice before it is released, then reuses it", () => {
    const { worker, main } = pair(2, 8);
    const first = worker.put([file("a", 1)]);
    const second = worker.put([file("b", 2)]);
    expect([first?.slot, second?.slot].sort()).toEqual([0, 1]);
    expect(worker.put([file("c", 3)])).toBeUndefined();
    expect(main.taken).toBe(2);
    main.release(first!.slot);
    const third = worker.put([file("c", 3)]);
    expect(third?.slot).toBe(first!.slot);
    expect([...main.take(third!)[0]!.bytes]).toEqual([3]);
    // The other slot was not touched.
    expect([...main.take(second!)[0]!.bytes]).toEqual([2]);
  });

  it("declines a dossier larger than a slot, whatever is free", () => {
    const { worker } = pair(4, 8);
    expect(worker.put([file("a", 1, 2, 3, 4, 5), file("b", 6, 7, 8, 9)])).toBeUndefined();
    expect(worker.taken).toBe(0);
    expect(worker.put([file("a", 1, 2, 3, 4), file("b", 5, 6, 7, 8)])).toBeDefined();
  });

  it("treats a release of a free or unknown slot as a programmer's fault", () => {
    const { main } = pair(1, 8);
    expect(() => main.release(0)).toThrow(/non occupé/);
    expect(() => main.release(3)).toThrow(/non occupé/);
    expect(() => FileArena.allocate({ slots: 0, slotBytes: 8 })).toThrow(/invalide/);
    expect(() => new FileArena(new SharedArrayBuffer(8), { slots: 1, slotBytes: 8 })).toThrow(/taille/);
  });
});
