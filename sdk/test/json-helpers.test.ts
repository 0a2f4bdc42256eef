import { create, fromJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  compareStrings,
  deepEqual,
  deepMerge,
  fillDefaults,
  type JsonMap,
  orderKeys,
  setIf,
  sortedStrings,
  sortKeysDeep,
  structToJson,
  valueToJson,
} from "../src/index.js";

describe("deepMerge", () => {
  it("merges objects key by key and lets anything else in `over` replace, lists included", () => {
    const base: JsonMap = { a: 1, env: { A: "1", B: "2" }, list: [1, 2], nested: { deep: { x: 1, y: 2 } } };
    const over: JsonMap = { env: { B: "3", C: "4" }, list: [3], nested: { deep: { y: null } }, z: true };
    expect(deepMerge(base, over)).toEqual({
      a: 1,
      env: { A: "1", B: "3", C: "4" },
      list: [3],
      nested: { deep: { x: 1, y: null } },
      z: true,
    });
  });

  it("keeps base keys in place and appends new ones in over's order", () => {
    expect(Object.keys(deepMerge({ b: 1, a: 2 }, { c: 3, a: 4, d: 5 }))).toEqual(["b", "a", "c", "d"]);
  });

  it("replaces an object with a scalar and a scalar with an object", () => {
    expect(deepMerge({ a: { x: 1 }, b: "s" }, { a: "flat", b: { y: 2 } })).toEqual({ a: "flat", b: { y: 2 } });
  });

  it("modifies neither argument", () => {
    const base: JsonMap = { env: { A: "1" } };
    const over: JsonMap = { env: { B: "2" } };
    deepMerge(base, over);
    expect(base).toEqual({ env: { A: "1" } });
    expect(over).toEqual({ env: { B: "2" } });
  });
});

describe("fillDefaults", () => {
  it("lets base win, fills missing keys, and merges objects key by key", () => {
    const base: JsonMap = { "runs-on": "ubuntu-latest", env: { A: "1" }, list: [1] };
    const defaults: JsonMap = { "runs-on": "macos", env: { A: "0", B: "2" }, list: [9], "timeout-minutes": 10 };
    expect(fillDefaults(base, defaults)).toEqual({ "runs-on": "ubuntu-latest", env: { A: "1", B: "2" }, list: [1], "timeout-minutes": 10 });
  });

  it("puts base keys first and defaults after", () => {
    expect(Object.keys(fillDefaults({ z: 1 }, { a: 1, z: 2 }))).toEqual(["z", "a"]);
  });

  it("keeps a base scalar where the default is an object, and null counts as set", () => {
    expect(fillDefaults({ a: "own", n: null }, { a: { x: 1 }, n: "default" })).toEqual({ a: "own", n: null });
  });
});

describe("valueToJson", () => {
  it("converts every kind, sorting struct keys at every level", () => {
    const value = fromJson(ValueSchema, { b: [1, "two", true, null, { d: 1, c: 2 }], a: { z: 1, y: false } });
    const json = valueToJson(value);
    expect(json).toEqual({ a: { y: false, z: 1 }, b: [1, "two", true, null, { c: 2, d: 1 }] });
    expect(JSON.stringify(json)).toBe('{"a":{"y":false,"z":1},"b":[1,"two",true,null,{"c":2,"d":1}]}');
  });

  it("turns an absent value or one without a kind into null", () => {
    expect(valueToJson(undefined)).toBeNull();
    expect(valueToJson(fromJson(ValueSchema, null))).toBeNull();
    expect(valueToJson(create(ValueSchema))).toBeNull();
  });
});

describe("deepEqual", () => {
  it("compares maps as sets of keys, arrays in order", () => {
    expect(deepEqual({ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 })).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual([1], [1, 1])).toBe(false);
  });

  it("treats undefined keys as absent, and tells arrays from objects", () => {
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(deepEqual([], {})).toBe(false);
    expect(deepEqual({}, [])).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
  });

  it("compares bytes by content", () => {
    expect(deepEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(deepEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(deepEqual(new Uint8Array([1]), [1])).toBe(false);
  });

  it("skips ignored keys at the top level only", () => {
    const ignore = new Set(["id"]);
    expect(deepEqual({ id: "a", x: 1 }, { id: "b", x: 1 }, ignore)).toBe(true);
    expect(deepEqual({ id: "a" }, { x: 1 }, ignore)).toBe(false);
    expect(deepEqual({ inner: { id: "a" } }, { inner: { id: "b" } }, ignore)).toBe(false);
  });

  it("agrees with canonicalJson on plain data", () => {
    const cases: Array<[unknown, unknown]> = [
      [{ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }],
      [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ],
      [{ a: 1 }, { a: 2 }],
      [{ a: "1" }, { a: 1 }],
    ];
    for (const [a, b] of cases) expect(deepEqual(a, b)).toBe(canonicalJson(a) === canonicalJson(b));
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every level and writes bigints and bytes", () => {
    expect(canonicalJson({ b: 1n, a: { d: new Uint8Array([7]), c: [{ f: 1, e: 2 }] } })).toBe(
      '{"a":{"c":[{"e":2,"f":1}],"d":[7]},"b":"1"}',
    );
  });
});

describe("key order and small helpers", () => {
  it("compareStrings orders by code unit, not locale", () => {
    expect(["b", "B", "a", "é", "Z"].sort(compareStrings)).toEqual(["B", "Z", "a", "b", "é"]);
  });

  it("sortKeysDeep and structToJson sort every level; structToJson of nothing is {}", () => {
    expect(JSON.stringify(sortKeysDeep({ b: [{ d: 1, c: 2 }], a: 1 }))).toBe('{"a":1,"b":[{"c":2,"d":1}]}');
    expect(JSON.stringify(structToJson({ z: { y: 1, x: 2 } }))).toBe('{"z":{"x":2,"y":1}}');
    expect(structToJson(undefined)).toEqual({});
  });

  it("sortedStrings is undefined for an empty map", () => {
    expect(sortedStrings({})).toBeUndefined();
    expect(Object.keys(sortedStrings({ B: "1", A: "2" }) ?? {})).toEqual(["A", "B"]);
  });

  it("setIf leaves out values that carry no information", () => {
    const out: JsonMap = {};
    for (const v of [undefined, "", 0, false, null, [], {}]) setIf(out, "k", v);
    expect(out).toEqual({});
    setIf(out, "n", 5);
    setIf(out, "s", "x");
    setIf(out, "l", [0]);
    expect(out).toEqual({ n: 5, s: "x", l: [0] });
  });

  it("orderKeys puts listed keys first, in order, then the rest sorted", () => {
    expect(Object.keys(orderKeys({ z: 1, env: 2, name: 3, a: 4 }, ["name", "missing", "env"]))).toEqual(["name", "env", "a", "z"]);
  });
});
