import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from "@cig/proto";
import { describe, expect, it } from "vitest";
import { handshakeLine, negotiateProtocol, readCoreOffer } from "../src/index.js";

describe("handshake", () => {
  const env = {
    [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
    CIG_PLUGIN_PROTOCOL_VERSIONS: "1, 2",
    CIG_PLUGIN_TRANSPORTS: "stdio,unix",
    CIG_CORE_VERSION: "0.1.0",
  };

  it("refuses without the cookie, or with a wrong one", () => {
    expect(readCoreOffer({})).toBeUndefined();
    expect(readCoreOffer({ [MAGIC_COOKIE_KEY]: "nope" })).toBeUndefined();
  });

  it("reads the core's offer", () => {
    expect(readCoreOffer(env)).toEqual({
      protocols: [1, 2],
      transports: ["stdio", "unix"],
      coreVersion: "0.1.0",
      handshakeFd: 3,
      unixDir: undefined,
    });
  });

  it("picks the newest common protocol, or its own newest without overlap", () => {
    const offer = readCoreOffer(env);
    if (!offer) throw new Error("no offer");
    expect(negotiateProtocol(offer, [1])).toBe(1);
    expect(negotiateProtocol(offer, [1, 2, 3])).toBe(2);
    expect(negotiateProtocol({ ...offer, protocols: [7] }, [1, 2])).toBe(2);
  });

  it("formats the handshake line", () => {
    expect(handshakeLine(1, "stdio", "fd:0")).toBe("1|1|stdio|fd:0|grpc\n");
    expect(handshakeLine(1, "unix", "/tmp/x/p1.sock")).toBe("1|1|unix|/tmp/x/p1.sock|grpc\n");
  });
});
