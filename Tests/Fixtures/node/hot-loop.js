// A Node.js process that spends its time in one JavaScript function, hotLoop, for the
// native sampler's JIT test (start it with --perf-basic-prof so that V8 writes
// /tmp/perf-PID.map).
'use strict';
const { ready } = require('./lifetime.js');

function hotLoop() {
  let sum = 0;
  for (let i = 0; i < 3e6; i++) sum += Math.sqrt(i);
  return sum;
}

setInterval(hotLoop, 1);
ready();
