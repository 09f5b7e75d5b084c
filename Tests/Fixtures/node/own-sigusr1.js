// An HTTP service that handles SIGUSR1 itself (as some apps do to rotate logs): Node then
// does not open its inspector on SIGUSR1. Prints "ready PORT".
'use strict';
const http = require('http');
const { ready } = require('./lifetime');

let rotations = 0;
process.on('SIGUSR1', () => { rotations += 1; });
const server = http.createServer((request, response) => response.end(`ok rotations=${rotations}\n`));
server.listen(0, '127.0.0.1', () => ready(String(server.address().port)));
