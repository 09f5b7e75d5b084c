// A Node.js process whose time goes to one JavaScript function, hotLoop, that calls into
// native code (OpenSSL through node::crypto) in a loop: the fixture of `diag cpu --mixed`.
// Started without any inspector flag; prints "ready" once hotLoop runs. With
// SIGNAL_LOG=PATH it handles SIGUSR1 itself and appends a line to PATH for each one, so a
// test can tell that nobody asked it to open its inspector.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const { ready } = require('./lifetime.js');

if (process.env.SIGNAL_LOG) process.on('SIGUSR1', () => fs.appendFileSync(process.env.SIGNAL_LOG, 'SIGUSR1\n'));

function hotLoop() {
  let digest = '';
  for (let i = 0; i < 200; i++) digest = crypto.createHash('sha256').update(digest + i).digest('hex');
  return digest;
}

function tick() {
  hotLoop();
  setImmediate(tick);
}

tick();
ready();
