// Usage: node planted-leak.js DIR [single]
// Writes heap snapshots a/b/c of a process with a planted leak, into the directory argv[2]:
// LeakyRecord objects accumulate in a Map held by a closure variable (`leakStore`), reachable
// from the global `recordRequest`; ChurnItem objects are allocated and released every step.
'use strict';
const v8 = require('v8');
const path = require('path');
const out = process.argv[2];

class LeakyRecord {
  constructor(i) {
    this.id = i;
    this.status = 200;
    this.bytesIn = 512;
    this.bytesOut = 2048;
    this.parent = null;
    this.next = null;
  }
}

class ChurnItem {
  constructor(i) {
    this.i = i;
    this.blob = new Array(16).fill(i);
  }
}

function makeRecorder() {
  const leakStore = new Map();
  return function record(i) { leakStore.set(i, new LeakyRecord(i)); };
}
globalThis.recordRequest = makeRecorder();

let counter = 0;
function step(records) {
  for (let i = 0; i < records; i++) globalThis.recordRequest(counter++);
  let churn = [];
  for (let i = 0; i < 5000; i++) churn.push(new ChurnItem(i));
  return churn.length;
}

step(100);
if (process.argv[3] === 'single') {
  // One snapshot only: another process's view of the same program, for the id check.
  v8.writeHeapSnapshot(path.join(out, 'other-process.heapsnapshot'));
  process.exit(0);
}
v8.writeHeapSnapshot(path.join(out, 'a.heapsnapshot'));
step(3000);
v8.writeHeapSnapshot(path.join(out, 'b.heapsnapshot'));
step(3000);
v8.writeHeapSnapshot(path.join(out, 'c.heapsnapshot'));

// Closing an inspector session clears V8's object ids: snapshots on either side of it
// cannot be compared by id.
const inspector = require('inspector');
const session = new inspector.Session();
session.connect();
session.post('HeapProfiler.enable', () => {
  session.post('HeapProfiler.disable', () => {
    session.disconnect();
    v8.writeHeapSnapshot(path.join(out, 'after-session.heapsnapshot'));
  });
});
