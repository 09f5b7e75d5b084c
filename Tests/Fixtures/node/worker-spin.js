// An HTTP service with one worker thread that spends all its time in workerSpin (a busy
// loop: the inspector reaches it through V8 interrupts); the main thread stays idle.
// Prints "ready PORT" once the worker runs.
'use strict';
const http = require('http');
const { Worker } = require('worker_threads');
const { ready } = require('./lifetime');

const worker = new Worker(`
  const { parentPort } = require('worker_threads');
  function workerSpin() {
    let total = 0;
    for (let i = 0; i < 3e5; i++) total += Math.sqrt(i) * Math.sin(i);
    return total;
  }
  parentPort.postMessage('running');
  for (;;) workerSpin();
`, { eval: true });
worker.unref();

const server = http.createServer((request, response) => response.end('ok\n'));
worker.once('message', () => server.listen(0, '127.0.0.1', () => ready(String(server.address().port))));
