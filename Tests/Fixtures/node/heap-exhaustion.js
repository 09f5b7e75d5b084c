// Grows the JavaScript heap until V8 gives up: run with a small --max-old-space-size, it
// dies with "FATAL ERROR: Reached heap limit" and, with cores enabled, leaves a core.
'use strict';

const retained = [];
function growForever() {
  for (;;) {
    retained.push({ payload: 'x'.repeat(64) + retained.length, index: retained.length });
  }
}

growForever();
