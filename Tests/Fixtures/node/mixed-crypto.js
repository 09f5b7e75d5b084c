// A Node.js process whose time goes to one JavaScript function, hotLoop, that calls into
// native code (OpenSSL through node::crypto) in a loop: the fixture of `diag cpu --mixed`.
// Started without any inspector flag; prints "ready" once hotLoop runs.
'use strict';
const crypto = require('crypto');
const { ready } = require('./lifetime.js');

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
