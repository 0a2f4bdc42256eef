// Set.prototype.union & co. (ES2025) for Node 20, which gitlab-ci-local's
// bundle calls. Loaded with `node --import` into that process only; never
// into cig or the tests.
const define = (name, fn) => {
  if (!Set.prototype[name]) Object.defineProperty(Set.prototype, name, { value: fn, writable: true, configurable: true });
};
define("union", function (other) {
  const out = new Set(this);
  for (const x of other.keys()) out.add(x);
  return out;
});
define("intersection", function (other) {
  const out = new Set();
  for (const x of this) if (other.has(x)) out.add(x);
  return out;
});
define("difference", function (other) {
  const out = new Set();
  for (const x of this) if (!other.has(x)) out.add(x);
  return out;
});
define("symmetricDifference", function (other) {
  const out = new Set(this);
  for (const x of other.keys()) {
    if (this.has(x)) out.delete(x);
    else out.add(x);
  }
  return out;
});
define("isSubsetOf", function (other) {
  for (const x of this) if (!other.has(x)) return false;
  return true;
});
define("isSupersetOf", function (other) {
  for (const x of other.keys()) if (!this.has(x)) return false;
  return true;
});
define("isDisjointFrom", function (other) {
  for (const x of this) if (other.has(x)) return false;
  return true;
});
