// A Node.js service that blocks its own event loop in one known way, over and over, and
// measures each block itself with performance.now (the reference diag loop is checked
// against). `node loop-blocker.js KIND` where KIND is regexp, json, crypto, fs, js, gc, pool
// (async crypto.pbkdf2 calls that keep the libuv threadpool busy; the loop stays free), stuck
// (see below) or quiet. Each block is appended to $BLOCKS_FILE as {kind, milliseconds, startMicroseconds} (CLOCK_MONOTONIC).
'use strict';
const { ready } = require('./lifetime.js');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { performance } = require('perf_hooks');

const kind = process.argv[2] || 'quiet';
const blocksFile = process.env.BLOCKS_FILE;
const period = Number(process.env.BLOCK_PERIOD_MS || 400);

function record(milliseconds, startMicroseconds) {
  if (blocksFile) fs.appendFileSync(blocksFile, JSON.stringify({ kind, milliseconds, startMicroseconds }) + '\n');
}

function catastrophicRegExp() {
  return /^(a+)+$/.test('a'.repeat(23) + '!');
}

const bigJSON = JSON.stringify(Array.from({ length: 100000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'] })));
function parseBigJSON() {
  return JSON.parse(bigJSON).length;
}

function deriveKeySync() {
  return crypto.pbkdf2Sync('secret', 'salt', 120000, 64, 'sha512').length;
}
const bigFile = path.join(os.tmpdir(), `loop-blocker-${process.pid}.bin`), readBuffer = kind === 'fs' ? Buffer.alloc(128 << 20) : null;
let bigFileDescriptor;
function readBigFile() {
  return fs.readSync(bigFileDescriptor, readBuffer, 0, readBuffer.length, 0);
}

function busyLoop() {
  let sum = 0;
  for (let i = 0; i < 6e7; i++) sum += i % 7;
  return sum;
}

// Three million small live objects: a full collection (node --expose-gc) marks every one.
const liveObjects = kind === 'gc' ? Array.from({ length: 3e6 }, (_, i) => ({ id: i, next: null })) : [];
function collectGarbage() {
  global.gc();
  return liveObjects.length;
}

const blockers = { regexp: catastrophicRegExp, json: parseBigJSON, crypto: deriveKeySync, fs: readBigFile, js: busyLoop, gc: collectGarbage };

// A block lasts until the loop runs again (a setImmediate), so that the garbage collection
// and bookkeeping the blocker leaves behind count as they do for every other callback.
function blockOnce() {
  const begin = Number(process.hrtime.bigint() / 1000n);
  const start = performance.now();
  blockers[kind]();
  setImmediate(() => record(performance.now() - start, begin));
}

function fillThreadpool() {
  // Four times as many calls as the pool has threads, each started again when it ends:
  // three wait in the queue for each one that runs.
  const again = () => crypto.pbkdf2('secret', 'salt', 200000, 64, 'sha512', again);
  for (let i = 0; i < 16; i++) again();
}

if (kind === 'fs') {
  // Opened, then removed at once: nothing is left in /tmp when the test kills the fixture.
  fs.writeFileSync(bigFile, Buffer.alloc(128 << 20, 7));
  bigFileDescriptor = fs.openSync(bigFile, 'r');
  fs.rmSync(bigFile);
}
if (blockers[kind]) setInterval(blockOnce, period);
if (kind === 'pool') fillThreadpool();
if (kind === 'stuck') {
  // Async opens of the FIFO $STUCK_FIFO, which no one writes. Opening a FIFO for reading
  // waits for a writer: the four workers wait in open(2) for good, using no CPU,
  // and the other twelve requests stay in libuv's queue, like a pool held by a dead NFS server.
  for (let i = 0; i < 16; i++) fs.open(process.env.STUCK_FIFO, 'r', () => {});
}
// The quiet service (and every other) wakes up now and then with a little work.
setInterval(() => Math.sqrt(Math.random()), 10);
ready(kind);
