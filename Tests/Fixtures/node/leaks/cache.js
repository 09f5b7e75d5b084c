// A module-level cache that is never trimmed (see ../leaks.js, scenario "cache").
'use strict';

class CachedResult {
  constructor(key) { this.key = key; this.payload = `result for ${key}`; this.hits = 0; }
}

const resultCache = [];

function remember(key) {
  resultCache.push(new CachedResult(key));
}

module.exports = { remember };
