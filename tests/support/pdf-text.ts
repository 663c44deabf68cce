// Reads the text of a PDF printed by Chromium, enough for tests to check what a printed report says: Chromium (Skia)
// writes uncompressed object tables, Flate-compressed streams and a ToUnicode map for every font, so the text is each
// shown string mapped through its font's map. Not a general PDF parser.
import { inflateSync } from "node:zlib";

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString("latin1");
  const objects = new Map<number, PdfObject>();
  const pattern = /(\d+) 0 obj\s*([\s\S]*?)endobj/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const body = match[2]!;
    const streamAt = body.indexOf("stream");
    if (streamAt < 0) {
      objects.set(Number(match[1]), { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, streamAt);
    let start = streamAt + "stream".length;
    if (body[start] === "\r") start += 1;
    if (body[start] === "\n") start += 1;
    const end = body.lastIndexOf("endstream");
    let raw = Buffer.from(body.slice(start, end), "latin1");
    if (/\/FlateDecode/.test(dict)) raw = inflateSync(raw, { finishFlush: 2 });
    objects.set(Number(match[1]), { dict, stream: raw });
  }
  return objects;
}

interface FontMap {
  bytes: number;
  chars: Map<number, string>;
}

function utf16(hex: string): string {
  let out = "";
  for (let i = 0; i + 4 <= hex.length; i += 4) out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return out;
}

function readCMap(cmap: string): FontMap {
  const space = /begincodespacerange\s*<([0-9A-Fa-f]+)>/.exec(cmap);
  const chars = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const pair of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      chars.set(parseInt(pair[1]!, 16), utf16(pair[2]!));
    }
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const range of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const from = parseInt(range[1]!, 16);
      const to = parseInt(range[2]!, 16);
      const base = utf16(range[3]!);
      for (let code = from; code <= to; code++) {
        chars.set(code, base.slice(0, -1) + String.fromCharCode(base.charCodeAt(base.length - 1) + code - from));
      }
    }
  }
  return { bytes: space ? space[1]!.length / 2 : 1, chars };
}

function refsIn(dict: string): Map<string, number> {
  return new Map([...dict.matchAll(/\/([^\s/<>[\]()]+)\s+(\d+) 0 R/g)].map((m) => [m[1]!, Number(m[2])]));
}

export function extractPdfText(pdf: Buffer): string {
  const objects = readObjects(pdf);
  const fontMaps = new Map<number, FontMap>();
  const fontMap = (id: number): FontMap | null => {
    if (fontMaps.has(id)) return fontMaps.get(id)!;
    const font = objects.get(id);
    const toUnicode = font && /\/ToUnicode (\d+) 0 R/.exec(font.dict);
    const cmap = toUnicode ? objects.get(Number(toUnicode[1]))?.stream : null;
    const map = cmap ? readCMap(cmap.toString("latin1")) : null;
    if (map) fontMaps.set(id, map);
    return map;
  };
  const pages: string[] = [];
  for (const [, object] of objects) {
    if (!/\/Type\s*\/Page\b/.test(object.dict)) continue;
    let resources = object.dict;
    const resourcesRef = /\/Resources (\d+) 0 R/.exec(object.dict);
    if (resourcesRef) resources = objects.get(Number(resourcesRef[1]))?.dict ?? "";
    let fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(resources)?.[1] ?? "";
    const fontRef = /\/Font (\d+) 0 R/.exec(resources);
    if (fontRef) fontDict = objects.get(Number(fontRef[1]))?.dict ?? "";
    const fonts = refsIn(fontDict);
    const contentIds = [
      ...(
        /\/Contents\s*\[([^\]]*)\]/.exec(object.dict)?.[1] ??
        /\/Contents (\d+ 0 R)/.exec(object.dict)?.[1] ??
        ""
      ).matchAll(/(\d+) 0 R/g),
    ].map((m) => Number(m[1]));
    let text = "";
    for (const id of contentIds) {
      const content = objects.get(id)?.stream?.toString("latin1") ?? "";
      let current: FontMap | null = null;
      for (const token of content.matchAll(/\/([^\s/]+)\s+[-\d.]+\s+Tf|<([0-9A-Fa-f]*)>|\bET\b/g)) {
        if (token[1] !== undefined) {
          const fontId = fonts.get(token[1]);
          current = fontId === undefined ? null : fontMap(fontId);
        } else if (token[2] !== undefined && current) {
          const hex = token[2];
          const width = current.bytes * 2;
          for (let i = 0; i + width <= hex.length; i += width) {
            text += current.chars.get(parseInt(hex.slice(i, i + width), 16)) ?? "";
          }
        } else if (token[0] === "ET") text += "\n";
      }
    }
    pages.push(text);
  }
  return pages.join("\n");
}
