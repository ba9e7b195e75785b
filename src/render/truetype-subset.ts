/**
 * TrueType subsets written synchronously from the font's raw tables: the same bytes as @pdf-lib/fontkit's
 * `TTFSubset.encode`, without its cost. fontkit hands a subset over through a Node-style stream whose
 * `process.nextTick` shim is a `setTimeout(…, 0)` (each subset left the thread idle for a millisecond or
 * more) and re-encodes every table through its generic structures (several ms of CPU per subset).
 *
 * The layout follows fontkit's, byte for byte (test/pdf/truetype-subset.test.ts compares them): a table
 * directory with tag `true`, zero checksums and the tables head, hhea, loca, maxp, cvt , prep, glyf, hmtx,
 * fpgm (those the font has), unpadded, in that order; glyph 0 first, then the glyphs in the order they were
 * included, then the components of composite glyphs as they are met; head and hhea copied with their
 * indexToLocFormat and numberOfHMetrics changed, maxp with its numGlyphs; cvt, prep and fpgm copied.
 */

interface TableSpan {
  offset: number;
  length: number;
}

/** The tables of the subset, in fontkit's order. */
const SUBSET_TABLES = ["head", "hhea", "loca", "maxp", "cvt ", "prep", "glyf", "hmtx", "fpgm"] as const;
const REQUIRED = ["head", "hhea", "loca", "maxp", "glyf", "hmtx"] as const;

// Composite glyph flags (OpenType `glyf`).
const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

/** A TrueType font's tables, read once; `subset` writes a subset font program. */
export class TrueTypeFont {
  readonly glyphCount: number;
  private readonly view: DataView;
  private readonly tables = new Map<string, TableSpan>();
  private readonly loca: Uint32Array;
  private readonly hMetricCount: number;
  /** Component glyph ids and their offsets in the glyph's data, per composite glyph (read on first use). */
  private readonly components = new Map<number, { ids: number[]; positions: number[] }>();

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const count = this.view.getUint16(4);
    for (let i = 0; i < count; i++) {
      const entry = 12 + 16 * i;
      const tag = String.fromCharCode(...bytes.subarray(entry, entry + 4));
      this.tables.set(tag, {
        offset: this.view.getUint32(entry + 8),
        length: this.view.getUint32(entry + 12),
      });
    }
    for (const tag of REQUIRED) if (!this.tables.has(tag)) throw new Error(`table TrueType absente : ${tag}`);
    this.glyphCount = this.view.getUint16(this.table("maxp").offset + 4);
    this.hMetricCount = this.view.getUint16(this.table("hhea").offset + 34);
    const longOffsets = this.view.getInt16(this.table("head").offset + 50) === 1;
    const locaAt = this.table("loca").offset;
    this.loca = new Uint32Array(this.glyphCount + 1);
    for (let gid = 0; gid <= this.glyphCount; gid++) {
      this.loca[gid] = longOffsets
        ? this.view.getUint32(locaAt + 4 * gid)
        : 2 * this.view.getUint16(locaAt + 2 * gid);
    }
  }

  private table(tag: string): TableSpan {
    const span = this.tables.get(tag);
    if (!span) throw new Error(`table TrueType absente : ${tag}`);
    return span;
  }

  private glyphSpan(gid: number): { start: number; end: number } {
    const glyf = this.table("glyf").offset;
    return { start: glyf + (this.loca[gid] ?? 0), end: glyf + (this.loca[gid + 1] ?? 0) };
  }

  /** The components of a composite glyph (ids, and where each id is in the glyph's data); none otherwise. */
  private componentsOf(gid: number): { ids: number[]; positions: number[] } | undefined {
    const { start, end } = this.glyphSpan(gid);
    if (end - start < 10 || this.view.getInt16(start) >= 0) return undefined;
    let parsed = this.components.get(gid);
    if (!parsed) {
      parsed = { ids: [], positions: [] };
      let at = start + 10;
      let flags = MORE_COMPONENTS;
      while (flags & MORE_COMPONENTS) {
        flags = this.view.getUint16(at);
        parsed.positions.push(at + 2 - start);
        parsed.ids.push(this.view.getUint16(at + 2));
        at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
        if (flags & WE_HAVE_A_SCALE) at += 2;
        else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) at += 4;
        else if (flags & WE_HAVE_A_TWO_BY_TWO) at += 8;
      }
      this.components.set(gid, parsed);
    }
    return parsed;
  }

  private metrics(gid: number): { advance: number; bearing: number } {
    const hmtx = this.table("hmtx").offset;
    const last = this.hMetricCount - 1;
    if (gid <= last) {
      return {
        advance: this.view.getUint16(hmtx + 4 * gid),
        bearing: this.view.getInt16(hmtx + 4 * gid + 2),
      };
    }
    const bearingAt = hmtx + 4 * this.hMetricCount + 2 * (gid - this.hMetricCount);
    const table = this.table("hmtx");
    return {
      advance: last >= 0 ? this.view.getUint16(hmtx + 4 * last) : 0,
      bearing: bearingAt + 2 <= table.offset + table.length ? this.view.getInt16(bearingAt) : 0,
    };
  }

  /**
   * The font program of the subset whose glyphs are `glyphs` (glyph 0 first, as a subset's ids: glyph i of
   * the subset is `glyphs[i]`). Components of composite glyphs are appended to `glyphs`, as fontkit does.
   */
  subset(glyphs: number[]): Uint8Array {
    const ids = new Map<number, number>();
    glyphs.forEach((gid, i) => {
      if (!ids.has(gid)) ids.set(gid, i);
    });
    const include = (gid: number): number => {
      let id = ids.get(gid);
      if (id === undefined) {
        id = glyphs.length;
        glyphs.push(gid);
        ids.set(gid, id);
      }
      return id;
    };
    // Glyph data, with composite glyphs' component ids renumbered.
    const data: Uint8Array[] = [];
    const offsets: number[] = [];
    let glyfLength = 0;
    for (let i = 0; i < glyphs.length; i++) {
      const gid = glyphs[i] ?? 0;
      const { start, end } = gid < this.glyphCount ? this.glyphSpan(gid) : { start: 0, end: 0 };
      let glyph = this.bytes.subarray(start, end);
      const composite = this.componentsOf(gid);
      if (composite) {
        glyph = glyph.slice();
        const view = new DataView(glyph.buffer, glyph.byteOffset, glyph.byteLength);
        composite.ids.forEach((component, k) => {
          view.setUint16(composite.positions[k] ?? 0, include(component));
        });
      }
      offsets.push(glyfLength);
      data.push(glyph);
      glyfLength += glyph.length;
    }
    offsets.push(glyfLength);
    // fontkit's choice: short offsets (halved) unless the last is above 0xFFFF. Odd offsets, which short ones
    // cannot hold, take long ones (TrueType glyph data is even-sized: not met with the shipped fonts).
    const longLoca = glyfLength > 0xffff || offsets.some((o) => o % 2 !== 0);
    const count = glyphs.length;
    const lengths: Record<(typeof SUBSET_TABLES)[number], number> = {
      head: this.table("head").length,
      hhea: this.table("hhea").length,
      loca: offsets.length * (longLoca ? 4 : 2),
      maxp: this.table("maxp").length,
      "cvt ": this.tables.get("cvt ")?.length ?? 0,
      prep: this.tables.get("prep")?.length ?? 0,
      glyf: glyfLength,
      hmtx: 4 * count,
      fpgm: this.tables.get("fpgm")?.length ?? 0,
    };
    // cvt holds 16-bit values: fontkit drops an odd trailing byte.
    lengths["cvt "] -= lengths["cvt "] % 2;
    const present = SUBSET_TABLES.filter((tag) => REQUIRED.includes(tag as never) || this.tables.has(tag));
    const headerLength = 12 + 16 * present.length;
    let total = headerLength;
    for (const tag of present) total += lengths[tag];
    const out = new Uint8Array(total);
    const view = new DataView(out.buffer);
    out.set([0x74, 0x72, 0x75, 0x65]); // "true"
    const power = 2 ** Math.floor(Math.log2(present.length));
    view.setUint16(4, present.length);
    view.setUint16(6, power * 16);
    view.setUint16(8, Math.log2(power));
    view.setUint16(10, present.length * 16 - power * 16);
    let at = headerLength;
    present.forEach((tag, i) => {
      const entry = 12 + 16 * i;
      for (let k = 0; k < 4; k++) out[entry + k] = tag.charCodeAt(k);
      view.setUint32(entry + 8, at);
      view.setUint32(entry + 12, lengths[tag]);
      const copy = (span: TableSpan) =>
        out.set(this.bytes.subarray(span.offset, span.offset + lengths[tag]), at);
      switch (tag) {
        case "head":
          copy(this.table("head"));
          view.setInt16(at + 50, longLoca ? 1 : 0);
          break;
        case "hhea":
          copy(this.table("hhea"));
          view.setUint16(at + 34, count);
          break;
        case "maxp":
          copy(this.table("maxp"));
          view.setUint16(at + 4, count);
          break;
        case "loca":
          offsets.forEach((offset, k) => {
            if (longLoca) view.setUint32(at + 4 * k, offset);
            else view.setUint16(at + 2 * k, offset >>> 1);
          });
          break;
        case "glyf": {
          let p = at;
          for (const glyph of data) {
            out.set(glyph, p);
            p += glyph.length;
          }
          break;
        }
        case "hmtx":
          glyphs.forEach((gid, k) => {
            const m = this.metrics(gid);
            view.setUint16(at + 4 * k, m.advance);
            view.setInt16(at + 4 * k + 2, m.bearing);
          });
          break;
        default:
          copy(this.table(tag));
      }
      at += lengths[tag];
    });
    return out;
  }
}
