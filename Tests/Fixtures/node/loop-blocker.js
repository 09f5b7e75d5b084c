// A Node.js service that blocks its own event loop in one known way, over and over, and
// measures each block itself with performance.now (the reference diag loop is checked
// against). `node loop-blocker.js KIND` where KIND is regexp, json, crypto, fs, js, pool
// (async crypto.pbkdf2 calls that keep the libuv threadpool busy; the loop stays free) or
// quiet. Each block is appended to $BLOCKS_FILE as a JSON line {kind, milliseconds}.
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

function record(milliseconds) {
  if (blocksFile) fs.appendFileSync(blocksFile, JSON.stringify({ kind, milliseconds }) + '\n');
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

const bigFile = path.join(os.tmpdir(), `loop-blocker-${process.pid}.bin`);
function readBigFile() {
  return fs.readFileSync(bigFile).length;
}

function busyLoop() {
  let sum = 0;
  for (let i = 0; i < 6e7; i++) sum += i % 7;
  return sum;
}

const blockers = { regexp: catastrophicRegExp, json: parseBigJSON, crypto: deriveKeySync, fs: readBigFile, js: busyLoop };

function blockOnce() {
  const start = performance.now();
  blockers[kind]();
  record(performance.now() - start);
}

function fillThreadpool() {
  // Twice as many calls as the pool has threads, each started again when it ends.
  const again = () => crypto.pbkdf2('secret', 'salt', 200000, 64, 'sha512', again);
  for (let i = 0; i < 8; i++) again();
}

if (kind === 'fs') {
  fs.writeFileSync(bigFile, Buffer.alloc(64 * 1024 * 1024, 7));
  process.on('exit', () => fs.rmSync(bigFile, { force: true }));
  process.on('SIGTERM', () => process.exit(0));
}
if (blockers[kind]) setInterval(blockOnce, period);
if (kind === 'pool') fillThreadpool();
// The quiet service (and every other) wakes up now and then with a little work.
setInterval(() => Math.sqrt(Math.random()), 10);
ready(kind);
