import { fileKey, type RepoFile } from "./repo-state.js";

/**
 * The canonical byte stream a work signature hashes (docs/work-signatures.md).
 * Every field is framed as a u32 big-endian byte length followed by the
 * bytes, so no path or value can forge a separator; counts are bare u32s.
 * One growable buffer is reused for every variant: hashing one contiguous
 * buffer is the fastest BLAKE3 call, and reuse avoids an allocation per job.
 */
export class SignatureStream {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private len = 0;

  /** Empties the stream (keeping its buffer). */
  reset(): this {
    this.len = 0;
    return this;
  }

  /** A bare u32 big-endian (a count). */
  u32(n: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(n, this.len);
    this.len += 4;
    return this;
  }

  /** One framed field: u32 byte length, then the bytes (a string as UTF-8). */
  field(value: string | Uint8Array): this {
    if (typeof value === "string") {
      const n = Buffer.byteLength(value, "utf8");
      this.ensure(4 + n);
      this.buf.writeUInt32BE(n, this.len);
      this.len += 4 + this.buf.write(value, this.len + 4, "utf8");
      return this;
    }
    this.u32(value.length);
    return this.raw(value);
  }

  /** Bytes already framed (a cached files section). */
  raw(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
    return this;
  }

  /** The stream so far: a view, valid until the next write or reset. */
  bytes(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + extra));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
}

// The mode fields of every mode git writes, framed once.
const MODE_FIELDS = new Map(
  ["100644", "100755", "120000", "160000"].map((m) => [m, Buffer.concat([Buffer.from([0, 0, 0, 6]), Buffer.from(m, "latin1")])]),
);

/**
 * The files section of a stream: u32 count, then per file (in the given
 * order, which must be path-byte order) the fields path, mode, oid.
 */
export function filesSection(files: readonly RepoFile[]): Buffer {
  const keys = files.map(fileKey);
  let size = 4;
  for (let i = 0; i < files.length; i++) {
    const f = files[i] as RepoFile;
    size += 12 + (keys[i] as string).length + f.mode.length + f.oid.length;
  }
  const out = Buffer.allocUnsafe(size);
  let at = out.writeUInt32BE(files.length, 0);
  for (let i = 0; i < files.length; i++) {
    const f = files[i] as RepoFile;
    const key = keys[i] as string;
    // Byte keys, modes and hex ids are one byte per char: latin1 writes them as they are.
    at = out.writeUInt32BE(key.length, at);
    at += out.write(key, at, "latin1");
    const mode = MODE_FIELDS.get(f.mode);
    if (mode) at += mode.copy(out, at);
    else {
      at = out.writeUInt32BE(f.mode.length, at);
      at += out.write(f.mode, at, "latin1");
    }
    at = out.writeUInt32BE(f.oid.length, at);
    at += out.write(f.oid, at, "latin1");
  }
  return out;
}
