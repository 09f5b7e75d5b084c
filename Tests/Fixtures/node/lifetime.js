// Shared by the Node fixtures: no fixture outlives a crashed test run.
'use strict';
const limit = Number(process.env.FIXTURE_LIFETIME || 300);
setTimeout(() => process.exit(0), limit * 1000).unref();
module.exports = { ready: (details) => console.log(`ready ${details || ''}`) };
