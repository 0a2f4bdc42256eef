import { gzipSync } from "node:zlib";
import type { ArchiveEntry } from "./read-archive.js";
import { sortEntries } from "./read-archive.js";

/**
 * Writes entries as a deterministic ustar .tar.gz: byte-ordered paths, no
 * directory entries, mode 644/755/777, uid/gid 0, no user names, mtime 0 —
 * so one directory always packs to the same bytes, on any machine. Paths over
 * ustar's 100+155 bytes get a pax header. Hand-written because node-tar packs
 * from the filesystem with its own ordering and stat data; these ~60 lines
 * make the bytes ours to define (node-tar still reads them, read-archive.ts).
 */
export function packArchive(entries: readonly ArchiveEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of sortEntries([...entries])) {
    const name = Buffer.from(e.path, "utf8");
    const link = e.type === "symlink" ? e.data : Buffer.alloc(0);
    const body = e.type === "file" ? e.data : Buffer.alloc(0);
    const split = ustarSplit(name);
    if (!split || link.length > 100) {
      const records = [paxRecord("path", e.path), ...(link.length > 100 ? [paxRecord("linkpath", link.toString("utf8"))] : [])];
      const pax = Buffer.concat(records);
      blocks.push(
        header({
          name: Buffer.from("PaxHeader"),
          prefix: Buffer.alloc(0),
          size: pax.length,
          type: "x",
          mode: 0o644,
          link: Buffer.alloc(0),
        }),
      );
      blocks.push(pad(pax));
    }
    const [prefix, base] = split ?? [Buffer.alloc(0), name.subarray(0, 100)];
    blocks.push(
      header({ name: base, prefix, size: body.length, type: e.type === "file" ? "0" : "2", mode: e.mode, link: link.subarray(0, 100) }),
    );
    if (body.length > 0) blocks.push(pad(body));
  }
  blocks.push(Buffer.alloc(1024));
  // level 9 and no file name/mtime in the gzip header: the same bytes everywhere zlib's deflate is the same.
  return gzipSync(Buffer.concat(blocks), { level: 9 });
}

function ustarSplit(name: Buffer): [Buffer, Buffer] | undefined {
  if (name.length <= 100) return [Buffer.alloc(0), name];
  for (let i = name.length - 1; i > 0; i--) {
    if (name[i] !== 0x2f) continue;
    if (i <= 155 && name.length - i - 1 <= 100 && name.length - i - 1 > 0) return [name.subarray(0, i), name.subarray(i + 1)];
  }
  return undefined;
}

function paxRecord(key: string, value: string): Buffer {
  const text = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(text) + 1;
  while (String(len).length + Buffer.byteLength(text) !== len) len = String(len).length + Buffer.byteLength(text);
  return Buffer.from(`${len}${text}`, "utf8");
}

function header(h: { name: Buffer; prefix: Buffer; size: number; type: string; mode: number; link: Buffer }): Buffer {
  const b = Buffer.alloc(512);
  h.name.copy(b, 0);
  b.write(`${h.mode.toString(8).padStart(7, "0")}\0`, 100, "ascii");
  b.write("0000000\0", 108, "ascii"); // uid
  b.write("0000000\0", 116, "ascii"); // gid
  b.write(`${h.size.toString(8).padStart(11, "0")}\0`, 124, "ascii");
  b.write("00000000000\0", 136, "ascii"); // mtime
  b.write(h.type, 156, "ascii");
  h.link.copy(b, 157);
  b.write("ustar\0", 257, "ascii");
  b.write("00", 263, "ascii");
  h.prefix.copy(b, 345);
  b.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
  return b;
}

function pad(data: Buffer): Buffer {
  const rest = data.length % 512;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(512 - rest)]);
}
