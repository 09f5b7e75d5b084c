// Holds a loopback TCP port, so that a test can make a target's inspector port busy.
// Prints "ready PORT".
'use strict';
const net = require('net');
const { ready } = require('./lifetime');

const server = net.createServer(() => {});
server.listen(0, '127.0.0.1', () => ready(String(server.address().port)));
