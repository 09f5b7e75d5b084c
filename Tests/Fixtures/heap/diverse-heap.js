// Usage: node diverse-heap.js DIR — writes DIR/diverse.heapsnapshot, a heap with the shapes
// DevTools treats specially: WeakMaps (ephemeron edges), WeakRefs, same-named classes from
// different code, plain objects of repeated shapes (interfaces), odd property names, typed
// arrays, Symbols, BigInts, sliced/concatenated strings, closures and detached-looking names.
'use strict';
const v8 = require('v8');
const path = require('path');
const vm = require('vm');

class Session { constructor(i) { this.id = i; this.user = { name: 'u' + i, roles: ['a', 'b'] }; } }
const OtherSession = vm.runInThisContext('(class Session { constructor(i) { this.n = i; } })');
const weak = new WeakMap();
const keys = [];
for (let i = 0; i < 500; i++) {
  const k = { key: i };
  keys.push(k);
  weak.set(k, new Session(i));
}
const refs = [];
for (let i = 0; i < 200; i++) refs.push(new WeakRef(new OtherSession(i)));
const shapes = [];
for (let i = 0; i < 300; i++) shapes.push({ x: i, y: i * 2, 'a,b': i, "q'uote": i, '{br}': i });
for (let i = 0; i < 300; i++) shapes.push({ x: i, y: i, z: i });
const buffers = [new Float64Array(1000), new Uint8Array(4096), Buffer.alloc(10000)];
const big = 2n ** 200n;
const sym = Symbol('tag');
const text = 'x'.repeat(5000);
const slices = [];
for (let i = 0; i < 100; i++) slices.push(text.slice(i, i + 2000) + i);
const counters = new Map([[sym, 1], ['a', big]]);
function makeClosure(seed) { const captured = { seed }; return () => captured.seed; }
const closures = Array.from({ length: 100 }, (_, i) => makeClosure(i));
const set = new Set(keys.slice(0, 100));
globalThis.keep = { weak, keys, refs, shapes, buffers, counters, closures, set, slices };
v8.writeHeapSnapshot(path.join(process.argv[2], 'diverse.heapsnapshot'));
