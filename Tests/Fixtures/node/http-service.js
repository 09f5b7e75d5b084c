// A small HTTP service with a slow memory leak: every request keeps a record in a Map held
// by a closure. Prints "ready PORT" once it listens on a random loopback port.
'use strict';
const http = require('http');
const { ready } = require('./lifetime');

class LeakedRecord {
  constructor(id) {
    this.id = id;
    this.payload = 'x'.repeat(64) + id;
  }
}

const handleRequest = (() => {
  const cache = new Map();
  let counter = 0;
  return (request, response) => {
    counter += 1;
    cache.set(counter, new LeakedRecord(counter));
    response.end(`ok ${counter}\n`);
  };
})();

const server = http.createServer(handleRequest);
server.listen(0, '127.0.0.1', () => ready(String(server.address().port)));
setInterval(() => {}, 1000);
