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
