import { describe, expect, it } from "vitest";
import {
  PDFBool,
  PDFContext,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNull,
  PDFNumber,
  type PDFObject,
  PDFRawStream,
  PDFRef,
  PDFString,
} from "../../src/render/pdf-lib.js";
import {
  hexText,
  objectBytes,
  PdfUpdate,
  permanentIdOf,
  readStartXref,
  TextStream,
} from "../../src/render/pdf-update.js";

/** pdf-lib's own bytes for an object (size, then copy), as latin1 text. */
function pdfLibText(object: PDFObject): string {
  const buffer = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(buffer, 0);
  return Buffer.from(buffer).toString("latin1");
}

const objectText = (object: PDFObject): string => Buffer.from(objectBytes(object)).toString("latin1");

describe("écriture des objets de la mise à jour", () => {
  it("mêmes octets que pdf-lib, quel que soit l'objet", () => {
    const context = PDFContext.create();
    const nested = context.obj({ R: 0, BG: [0.9, 0.9, 1] });
    const objects: PDFObject[] = [
      PDFNumber.of(3.25),
      PDFNumber.of(-0.5),
      PDFName.of("Ferm é(ture)/#"),
      PDFString.of("(parenthèses) et \\ barre"),
      PDFString.fromDate(new Date("2026-11-29T09:00:00Z")),
      PDFHexString.fromText("Nguyễn 𝄞"),
      PDFRef.of(12, 3),
      PDFBool.True,
      PDFNull,
      context.obj([1, "Nom", [2, 3], { A: null }]),
      context.obj({
        Type: "Annot",
        Rect: [43, 604.99, 552.28, 620.99],
        MK: nested,
        T: PDFHexString.fromText("raison_sociale"),
        V: PDFString.of("x"),
        P: PDFRef.of(6),
        Empty: {},
        Kids: [],
      }),
      PDFRawStream.of(context.obj({ Filter: "FlateDecode" }), new Uint8Array([0, 10, 13, 255, 128, 40])),
      context.flateStream("BT /DDHelv 10 Tf (é) Tj ET"),
    ];
    for (const object of objects) expect(objectText(object), object.toString()).toBe(pdfLibText(object));
  });

  it("une chaîne UTF-16 comme PDFHexString.fromText", () => {
    for (const text of ["", "Été", "Nguyễn", "𝄞 clé", "\ud800 seul", "\u0000\uffff"]) {
      expect(hexText(text).toString(), text).toBe(PDFHexString.fromText(text).toString());
    }
  });

  it("un flux de texte s'écrit comme le flux brut des mêmes octets", () => {
    const context = PDFContext.create();
    const dict = () => context.obj({ Type: "XObject", BBox: [0, 0, 10, 5] });
    const text = "/Tx BMC\nq\nBT\n/DDHelv 10 Tf\n<e9> Tj\nET\nQ\nEMC\n";
    const raw = PDFRawStream.of(dict(), Buffer.from(text, "latin1"));
    const stream = new TextStream(dict(), text);
    expect(objectText(stream)).toBe(pdfLibText(raw));
    expect(pdfLibText(stream)).toBe(pdfLibText(raw));
    expect(stream.getContentsSize()).toBe(text.length);
  });

  it("un dictionnaire du modèle modifié s'écrit comme pdf-lib écrirait sa copie", async () => {
    const template = PDFContext.create();
    const original = template.obj({
      FT: "Tx",
      Kids: [PDFRef.of(11)],
      T: PDFHexString.fromText("raison_sociale"),
      DA: PDFString.of("/Helv 0 Tf 0 g"),
      MK: { R: 0, BG: [1, 1, 1] },
      F: 4,
    });
    const edits: ((d: PDFDict) => void)[] = [
      () => {},
      (d) => d.set(PDFName.of("V"), PDFHexString.fromText("Centre hospitalier")),
      (d) => d.set(PDFName.of("DA"), PDFString.of("/DDHelv 10 Tf 0 g")),
      (d) => {
        d.set(PDFName.of("FT"), PDFName.of("Tx"));
        d.set(PDFName.of("AP"), template.obj({ N: PDFRef.of(40) }));
        d.set(PDFName.of("F"), PDFNumber.of(6));
        d.set(PDFName.of("V"), PDFString.of("x"));
      },
      (d) => d.delete(PDFName.of("MK")),
      (d) => {
        d.delete(PDFName.of("DA"));
        d.set(PDFName.of("DA"), PDFString.of("/DDHelv 9 Tf 0 g"));
      },
    ];
    // Twice over: the second time the original's entries come from the process's memo.
    for (let round = 0; round < 2; round++) {
      for (const change of edits) {
        const update = new PdfUpdate({
          bytes: new Uint8Array([0x0a]),
          size: 20,
          startXref: 0,
          permanentId: PDFHexString.of("00"),
        });
        const ref = PDFRef.of(10);
        const edited = update.edit(ref, original);
        expect(update.edit(ref, original)).toBe(edited);
        change(edited);
        const expected = original.clone(template);
        change(expected);
        const info = update.register(update.context.obj({}));
        const text = Buffer.from(update.serialize({ root: ref, info })).toString("latin1");
        expect(text).toContain(`10 0 obj\n${pdfLibText(expected)}\nendobj\n`);
      }
    }
    // The template's dictionary itself is left as it was.
    expect(original.get(PDFName.of("V"))).toBeUndefined();
    expect(original.get(PDFName.of("MK"))).toBeDefined();
  });

  it("ajoute une mise à jour incrémentale que pdf-lib relit, modèle inchangé au début", async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.addPage([200, 200]);
    const templateBytes = await doc.save({ useObjectStreams: false });
    const loaded = await PDFDocument.load(templateBytes, { updateMetadata: false });
    const size = loaded.context.largestObjectNumber + 1;
    const update = new PdfUpdate({
      bytes: templateBytes,
      size,
      startXref: readStartXref(templateBytes),
      permanentId: permanentIdOf(undefined, templateBytes),
    });
    const catalog = loaded.catalog;
    const rootRef = loaded.context.trailerInfo.Root as PDFRef;
    update.edit(rootRef, catalog).set(PDFName.of("Lang"), PDFString.of("fr-FR"));
    const info = update.register(update.context.obj({ Title: PDFHexString.fromText("Été") }));
    const bytes = update.serialize({ root: rootRef, info });
    expect(Buffer.from(bytes.subarray(0, templateBytes.length)).equals(Buffer.from(templateBytes))).toBe(
      true,
    );
    expect(bytes).toBeInstanceOf(Uint8Array);
    const tail = Buffer.from(bytes.subarray(templateBytes.length)).toString("latin1");
    // Offsets in the cross-reference section point at each object.
    const xref = /xref\n(\d+) (\d+)\n((?:\d{10} \d{5} n \n)+)/.exec(tail);
    expect(xref).not.toBeNull();
    for (const m of tail.matchAll(/^(\d+) 0 obj$/gm)) {
      const offset = templateBytes.length + (m.index ?? 0);
      expect(tail).toContain(`${String(offset).padStart(10, "0")} 00000 n `);
    }
    expect(readStartXref(bytes)).toBe(templateBytes.length + tail.indexOf("xref\n"));
    const reread = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(reread.catalog.get(PDFName.of("Lang"))?.toString()).toBe("(fr-FR)");
    expect(reread.getTitle()).toBe("Été");
    expect(reread.getPageCount()).toBe(1);
    const dict = reread.context.lookup(info);
    expect(dict).toBeInstanceOf(PDFDict);
  });
});
