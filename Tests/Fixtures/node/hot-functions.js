// A CPU-bound HTTP service with known hot functions: spinPrimary takes most of the self
// time, spinSecondary about a third of it. Prints "ready PORT" once it listens on a random
// loopback port; the event loop keeps turning, so the service answers HTTP throughout.
'use strict';
const http = require('http');
const { ready } = require('./lifetime');

function spinPrimary() {
  let total = 0;
  for (let i = 0; i < 3e5; i++) total += Math.sqrt(i) * Math.sin(i);
  return total;
}

function spinSecondary() {
  let total = 0;
  for (let i = 0; i < 1e5; i++) total += Math.sqrt(i) * Math.cos(i);
  return total;
}

function workSlice() {
  spinPrimary();
  spinSecondary();
  setImmediate(workSlice);
}

const server = http.createServer((request, response) => response.end(`ok ${process.pid}\n`));
server.listen(0, '127.0.0.1', () => {
  ready(String(server.address().port));
  workSlice();
});
